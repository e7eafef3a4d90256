// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Checks on rendered SVG: well-formed, and every number in it finite.
enum SVGCheck {
  /// Problems found in `svg`: parse errors, and attributes holding NaN, infinity or anything
  /// but numbers where numbers belong. Empty when the chart is clean.
  static func problems(_ svg: String) -> [String] {
    let tree: XMLTree
    switch XMLTree.parse(svg) {
    case .success(let root): tree = root
    case .failure(let failure): return ["not well-formed: \(failure)"]
    }
    var found: [String] = []
    func visit(_ node: XMLTree) {
      for (name, value) in node.attributes {
        switch name {
        case "d":
          let allowed = Set("MLHVZzmlhvaA0123456789 .-")
          if !value.allSatisfy(allowed.contains) { found.append("<\(node.name) d=\"\(value.prefix(80))\">") }
        case "x", "y", "viewBox":
          for part in value.split(separator: " ") where Double(part)?.isFinite != true {
            found.append("<\(node.name) \(name)=\"\(value)\">")
          }
        default:
          break
        }
      }
      node.children.forEach(visit)
    }
    visit(tree)
    return found
  }

  /// Every number in the path data of `svg`, to check they stay inside the view box.
  static func pathNumbers(_ svg: String) -> [Double] {
    guard case .success(let tree) = XMLTree.parse(svg) else { return [] }
    var numbers: [Double] = []
    func visit(_ node: XMLTree) {
      if let d = node["d"] {
        let tokens = d.split { "MLHVZzmlhvaA ".contains($0) }
        numbers += tokens.compactMap { Double($0) }
      }
      node.children.forEach(visit)
    }
    visit(tree)
    return numbers
  }
}
