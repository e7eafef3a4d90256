// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A place in a file a user wrote: what every configuration or fixture problem points at.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The file, as the user would type it (relative to the working directory where possible).
  public var file: String
  /// 1-based line, or 0 when the problem concerns the whole file.
  public var line: Int
  /// 1-based column, or 0 when unknown.
  public var column: Int

  public init(file: String, line: Int = 0, column: Int = 0) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String {
    if line == 0 { return file }
    if column == 0 { return "\(file):\(line)" }
    return "\(file):\(line):\(column)"
  }
}

extension URL {
  /// This file's path relative to the working directory when it lies below it, else absolute:
  /// the form a user recognises in messages.
  public var displayPath: String {
    let cwd = FileManager.default.currentDirectoryPath
    let path = standardizedFileURL.path
    if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
    return path
  }
}
