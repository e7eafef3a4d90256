// SPDX-License-Identifier: Apache-2.0

/// Puts collected issues in reading order: files in the order they were first met, each file's
/// issues by line and column, and an issue reported twice (a merged anchor) only once.
enum IssueOrder {
  static func arrange(_ issues: [ConfigIssue]) -> [ConfigIssue] {
    var fileRank: [String: Int] = [:]
    var unique: [ConfigIssue] = []
    var seen: Set<String> = []
    for issue in issues where seen.insert(issue.description).inserted {
      if fileRank[issue.location.file] == nil { fileRank[issue.location.file] = fileRank.count }
      unique.append(issue)
    }
    return unique.enumerated().sorted { a, b in
      let (x, y) = (a.element.location, b.element.location)
      let (rx, ry) = (fileRank[x.file]!, fileRank[y.file]!)
      if rx != ry { return rx < ry }
      if x.line != y.line { return x.line < y.line }
      if x.column != y.column { return x.column < y.column }
      return a.offset < b.offset
    }.map(\.element)
  }
}
