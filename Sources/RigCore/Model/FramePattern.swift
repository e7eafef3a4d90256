// SPDX-License-Identifier: Apache-2.0

/// A frame file pattern: a path relative to the clip folder with one printf-style integer field,
/// `frames/%06d.pgm` (zero-padded to six digits) or `img/%d.jpg` (no padding).
///
/// The field's width is bounded (`maxWidth`), and so is the pattern (`maxLength`): both come
/// from a file, and `%999999999d` would otherwise ask for a gigabyte of padding per frame.
public struct FramePattern: Sendable, Equatable {
  /// Frame numbers have at most 10 digits (`first` ≤ 1,000,000,000 plus `count`).
  public static let maxWidth = 10
  /// A file name is at most 255 bytes on Linux file systems; a folder or two fit before it.
  public static let maxLength = 1_024

  private let prefix: String
  private let suffix: String
  private let width: Int
  private let padding: Character

  /// The pattern parsed, or why it cannot be used.
  public static func parse(_ pattern: String) -> Result<FramePattern, Problem> {
    guard pattern.utf8.count <= maxLength else { return .failure(.tooLong) }
    let fields = pattern.utf8.filter { $0 == UInt8(ascii: "%") }.count
    guard fields == 1, let percent = pattern.firstIndex(of: "%") else {
      return .failure(.fieldCount)
    }
    var i = pattern.index(after: percent)
    var spec = ""
    while i < pattern.endIndex, pattern[i].isASCII, pattern[i].isNumber, spec.count <= maxWidth {
      spec.append(pattern[i])
      i = pattern.index(after: i)
    }
    guard i < pattern.endIndex, pattern[i] == "d" else {
      return .failure(spec.count > maxWidth ? .tooWide : .fieldCount)
    }
    let width = Int(spec) ?? 0
    guard width <= maxWidth else { return .failure(.tooWide) }
    return .success(
      FramePattern(
        prefix: String(pattern[..<percent]), suffix: String(pattern[pattern.index(after: i)...]),
        width: width, padding: spec.hasPrefix("0") ? "0" : " "))
  }

  /// Why a pattern cannot be used.
  public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not exactly one `%d`-style field.
    case fieldCount
    /// The field is wider than `maxWidth` digits.
    case tooWide
    /// The pattern is longer than `maxLength` bytes.
    case tooLong

    public var description: String {
      switch self {
      case .fieldCount: "must hold exactly one number field"
      case .tooWide: "pads frame numbers to more than \(FramePattern.maxWidth) digits"
      case .tooLong: "is longer than \(FramePattern.maxLength) bytes"
      }
    }
  }

  /// The path of the frame numbered `number`.
  public func path(_ number: Int) -> String {
    let digits = String(number)
    let pad = digits.count < width ? String(repeating: padding, count: width - digits.count) : ""
    return prefix + pad + digits + suffix
  }

  /// `pattern` with its field replaced by `number`; the pattern itself when it cannot be parsed.
  public static func expand(_ pattern: String, number: Int) -> String {
    (try? parse(pattern).get())?.path(number) ?? pattern
  }

  /// Whether the pattern holds exactly one integer field within the bounds.
  public static func isValid(_ pattern: String) -> Bool {
    (try? parse(pattern).get()) != nil
  }
}
