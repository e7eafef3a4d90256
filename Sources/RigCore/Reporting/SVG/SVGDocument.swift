// SPDX-License-Identifier: Apache-2.0

/// The outer `<svg>` element every chart shares: a view box that scales to the page's width, an
/// accessible name, and a title that browsers show on hover.
enum SVGDocument {
  static func wrap(width: Double, height: Double, label: String, cssClass: String, body: String)
    -> String
  {
    let f = SVGNumber.format
    let name = HTMLText.escape(label)
    // Inline in HTML, the SVG namespace is implied; the page names no URL at all.
    return "<svg class=\"\(cssClass)\" viewBox=\"0 0 \(f(width)) "
      + "\(f(height))\" role=\"img\" aria-label=\"\(name)\"><title>\(name)</title>\(body)</svg>"
  }

  /// A text element; `content` is escaped here.
  static func text(
    _ content: String, x: Double, y: Double, anchor: String = "start", cssClass: String? = nil
  ) -> String {
    let f = SVGNumber.format
    let css = cssClass.map { " class=\"\($0)\"" } ?? ""
    let anchorAttribute = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
    return "<text x=\"\(f(x))\" y=\"\(f(y))\"\(anchorAttribute)\(css)>\(HTMLText.escape(content))</text>"
  }
}
