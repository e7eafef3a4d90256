// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("XML text sanitising")
struct XMLTextTests {
  @Test(
    "ANSI sequences are stripped and illegal characters become #xNN",
    arguments: [
      ("\u{1B}[1;31mred\u{1B}[0m", "red"),
      ("\u{1B}[2K\u{1B}[?25lx", "x"),
      ("\u{1B}]0;title\u{7}after", "after"),
      ("\u{1B}]8;;http://x\u{1B}\\link", "link"),
      ("lone \u{1B} esc", "lone #x1B esc"),
      ("nul\u{0}bell\u{7}vt\u{B}ff\u{C}", "nul#x00bell#x07vt#x0Bff#x0C"),
      ("del\u{7F}eted", "deleted"),
      ("tab\tnl\ncr\r", "tab\tnl\ncr\r"),
      ("\u{FFFE}\u{FFFF}", "#xFFFE#xFFFF"),
      ("µV 25 °C \u{1F6B6}", "µV 25 °C \u{1F6B6}"),
      ("\u{85}next-line", "\u{85}next-line"),
    ])
  func sanitize(input: String, expected: String) {
    #expect(XMLText.sanitize(input) == expected)
  }

  @Test("text escaping keeps quotes; attribute escaping also encodes quotes, tabs and line breaks")
  func escaping() {
    #expect(XMLText.escapeText("a<b>&\"c\"\r\n") == "a&lt;b&gt;&amp;\"c\"&#13;\n")
    #expect(
      XMLText.escapeAttribute("a<b>&\"c\"\t\r\n") == "a&lt;b&gt;&amp;&quot;c&quot;&#9;&#13;&#10;")
  }

  @Test("capping keeps head and tail within the byte limit and never splits a character")
  func cap() throws {
    let text = String(repeating: "é\u{1F600}", count: 1000)
    let capped = XMLText.cap(text, limit: 1000, fullText: "artifacts/t/console.log")
    #expect(capped.utf8.count <= 1000)
    #expect(capped.utf8.count > 900)
    #expect(capped.hasPrefix("é\u{1F600}"))
    #expect(capped.hasSuffix("é\u{1F600}"))
    #expect(!capped.unicodeScalars.contains("\u{FFFD}"))
    #expect(capped.contains(" bytes; full log: artifacts/t/console.log]...\n"))
    // The marker's count is exactly what is missing.
    let marker = try #require(capped.range(of: "...[truncated "))
    let digits = capped[marker.upperBound...].prefix { $0.isNumber }
    let dropped = Int(digits) ?? -1
    let kept = capped.utf8.count - (capped.split(separator: "\n")[1].utf8.count + 2)
    #expect(kept + dropped == text.utf8.count)
    #expect(XMLText.cap("short", limit: 1000) == "short")
  }

  @Test("messages are one sanitised line of at most 200 characters")
  func oneLine() {
    #expect(XMLText.oneLine("  first \u{1B}[1mline\u{1B}[0m \nsecond") == "first line")
    let long = XMLText.oneLine(String(repeating: "x", count: 500))
    #expect(long.count == 200 && long.hasSuffix("..."))
  }
}
