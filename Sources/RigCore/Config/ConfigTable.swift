// SPDX-License-Identifier: Apache-2.0
import Yams

/// A YAML mapping whose keys were checked against the keys allowed at its place.
struct ConfigTable {
  /// The mapping node (or the null node of an empty section), for locating its issues.
  var node: Node
  /// The YAML path of the mapping: `tests[2].limits`, empty for the document root.
  var path: String
  var entries: [String: Entry]

  struct Entry {
    var key: Node
    var value: Node
  }

  subscript(key: String) -> Node? { entries[key]?.value }

  /// The YAML path of `key` inside this mapping.
  func path(_ key: String) -> String { ConfigTable.join(path, key) }

  static func join(_ path: String, _ key: String) -> String {
    path.isEmpty ? key : "\(path).\(key)"
  }
}
