// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Reads a file a user wrote, with a size cap, turning every way it can be missing or unreadable
/// into an issue that names the resolved path.
enum ConfigFileReader {
  /// Where a file was named, so a missing file is reported at the key that names it.
  struct Reference {
    var location: SourceLocation
    var path: String
  }

  /// The bytes of `url`, or nil after appending an issue. `what` names the file in messages
  /// ("suite file", "clip.yaml", "labels file").
  static func read(
    _ url: URL, what: String, maxBytes: Int, reference: Reference?, files: any FileAccess,
    into issues: inout [ConfigIssue]
  ) -> [UInt8]? {
    let path = url.standardizedFileURL.path
    do {
      return try files.read(path, limit: maxBytes)
    } catch {
      issues.append(issue(error, what: what, path: path, reference: reference))
      return nil
    }
  }

  /// The issue for a file that could not be read: at the key that names the file when the file
  /// is not there or not a file, at the file itself when its content is the problem.
  static func issue(
    _ failure: FileReadFailure, what: String, path: String, reference: Reference?
  ) -> ConfigIssue {
    let own = SourceLocation(file: URL(fileURLWithPath: path).displayPath)
    if case .tooLarge = failure {
      return ConfigIssue(location: own, message: "\(what) \(failure)", hint: failure.hint)
    }
    return ConfigIssue(
      location: reference?.location ?? own, path: reference?.path ?? "",
      message: "\(what) \(failure): \(path)", hint: failure.hint)
  }
}
