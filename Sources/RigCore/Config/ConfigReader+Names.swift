// SPDX-License-Identifier: Apache-2.0
import Yams

extension ConfigReader {
  /// A list of names under `key` (`tags: [evkb, result-pin]`), each checked as a name; nil when
  /// the key is absent or null. A single name written without brackets gets a hint.
  func names(_ t: ConfigTable, _ key: String, what: String) -> [String]? {
    guard let node = t[key], !Self.isNull(node) else { return nil }
    if case .scalar = node {
      report(
        node, t.path(key), "expected a list of \(what), found \(describe(node))",
        hint: "write \(key): [\(node.scalar?.string ?? "name")]")
      return nil
    }
    guard let items = list(node, at: t.path(key), of: what) else { return nil }
    var names: [String] = []
    for (index, item) in items.enumerated() {
      if let name = name(item, at: "\(t.path(key))[\(index)]", what: "a name") { names.append(name) }
    }
    return names
  }
}
