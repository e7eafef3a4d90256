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
    _ url: URL, what: String, maxBytes: Int, reference: Reference?,
    into issues: inout [ConfigIssue]
  ) -> Data? {
    let path = url.standardizedFileURL.path
    func fail(_ message: String, hint: String? = nil, atReference: Bool) {
      let own = SourceLocation(file: url.displayPath)
      let location = atReference ? (reference?.location ?? own) : own
      let yamlPath = atReference ? (reference?.path ?? "") : ""
      issues.append(ConfigIssue(location: location, path: yamlPath, message: message, hint: hint))
    }
    let size: Int
    switch FileProbe.kind(atPath: path) {
    case .missing:
      fail(
        "\(what) not found: \(path)", hint: "check the path; it is relative to the file naming it",
        atReference: true)
      return nil
    case .directory:
      fail("\(what) is a folder, not a file: \(path)", atReference: true)
      return nil
    case .file(let bytes):
      size = bytes
    }
    guard size <= maxBytes else {
      fail(
        "\(what) is \(byteCount(size)), more than the \(byteCount(maxBytes)) allowed",
        hint: "is this the right file?", atReference: false)
      return nil
    }
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      // The file may have grown between the size check and the read.
      guard data.count <= maxBytes else {
        fail("\(what) is more than the \(byteCount(maxBytes)) allowed", atReference: false)
        return nil
      }
      return data
    } catch {
      fail(
        "\(what) cannot be read: \(error.localizedDescription)",
        hint: "check the file's permissions", atReference: true)
      return nil
    }
  }

  /// `1 MiB`, `3.2 MiB`, `512 KiB`, `17 bytes`.
  static func byteCount(_ n: Int) -> String {
    if n >= 1 << 20 {
      return "\(MetricFormat.number((Double(n) / 1_048_576 * 10).rounded() / 10)) MiB"
    }
    if n >= 1 << 10 { return "\(MetricFormat.number((Double(n) / 1024 * 10).rounded() / 10)) KiB" }
    return "\(n) bytes"
  }
}
