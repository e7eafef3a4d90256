// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The frame of every HTML page rig writes: one self-contained file with its style and script
/// inline, and a content security policy that forbids loading anything and runs only that
/// script (by its hash), so no text that reached the page can ever run as code.
enum HTMLPage {
  static func document(title: String, body: String) -> String {
    let style = ReportStyle.css
    let script = ReportScript.javascript
    let policy =
      "default-src 'none'; img-src data:; style-src '\(hash(style))'; script-src '\(hash(script))'"
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"/>
      <meta http-equiv="Content-Security-Policy" content="\(policy)"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
      <meta name="generator" content="rig"/>
      <title>\(HTMLText.escape(title))</title>
      <style>\(style)</style>
      </head><body>
      \(body)
      <script>\(script)</script>
      </body></html>

      """
  }

  /// `sha256-…` of a style or script as CSP spells it.
  static func hash(_ text: String) -> String {
    "sha256-" + Data(SHA256.digest(Array(text.utf8))).base64EncodedString()
  }
}
