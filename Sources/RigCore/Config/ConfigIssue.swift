// SPDX-License-Identifier: Apache-2.0

/// One problem in a file the user wrote: where, what, and how to fix it.
///
/// Validation collects every issue of every file (suite, rig, clips) and reports them together,
/// so one run of `rig validate` shows all there is to fix.
public struct ConfigIssue: Sendable, Equatable, CustomStringConvertible {
  public var location: SourceLocation
  /// The YAML path of the offending node (`tests[2].limits.count.mae`), empty for the whole file.
  public var path: String
  public var message: String
  /// What to do about it: "did you mean 'timeout'?", "write a duration such as 30s".
  public var hint: String?

  public init(location: SourceLocation, path: String = "", message: String, hint: String? = nil) {
    self.location = location
    self.path = path
    self.message = message
    self.hint = hint
  }

  /// `suite.yaml:12:5: tests[2].timout: unknown key (did you mean 'timeout'?)`
  ///
  /// Every part is bounded, whatever a file held: a message quotes outside text only as a
  /// `TerminalText.excerpt`, and this cuts anything that still slipped through.
  public var description: String {
    var s = "\(location): "
    if !path.isEmpty { s += "\(Self.bounded(path, 200)): " }
    s += Self.bounded(message, 1_000)
    if let hint { s += " (\(Self.bounded(hint, 1_000)))" }
    return s
  }

  private static func bounded(_ text: String, _ limit: Int) -> String {
    guard text.utf8.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
  }
}

/// Every problem found in a set of files; thrown as one error so none is lost.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
  public var issues: [ConfigIssue]
  public init(_ issues: [ConfigIssue]) { self.issues = issues }
  public var description: String {
    let n = issues.count
    return issues.map(\.description).joined(separator: "\n")
      + "\n\(n) problem\(n == 1 ? "" : "s") found"
  }
}
