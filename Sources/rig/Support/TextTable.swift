// SPDX-License-Identifier: Apache-2.0

/// A plain text table: columns padded to their widest cell, the first row as the header.
enum TextTable {
  static func render(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: header.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    return rows.map { row in
      var line = ""
      for (index, cell) in row.enumerated() {
        let last = index == row.count - 1
        line += last ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
      }
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }.joined(separator: "\n")
  }
}
