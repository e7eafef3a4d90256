// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// Finds the program a command names, as a shell would but without one: a path with a `/` as
/// given, a bare name on PATH. Checked before a run starts, so a missing tool is found first.
public enum ProgramSearch {
  /// The program's path: as given when it has a `/`, else the first match on PATH.
  /// - Throws: `RigError(.hardwareUnavailable)` naming `purpose` ("power") and what to do.
  public static func locate(_ program: String, purpose: String) throws -> String {
    if program.contains("/") {
      guard isExecutable(program) else {
        let exists = FileManager.default.fileExists(atPath: program)
        throw RigError(
          .hardwareUnavailable,
          "\(purpose): \(program) "
            + (exists
              ? "is not executable (chmod +x it)"
              : "does not exist (check the path in the rig file)"))
      }
      return program
    }
    if let found = search(program) { return found }
    throw RigError(
      .hardwareUnavailable,
      "\(purpose): program '\(program)' not found on PATH "
        + "(install it, or write its full path in the rig file)"
    )
  }

  /// `program` on PATH, or nil.
  public static func search(_ program: String) -> String? {
    let path =
      ProcessInfo.processInfo.environment["PATH"]
      ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(program)"
      if isExecutable(candidate) { return candidate }
    }
    return nil
  }

  /// A regular file with an execute bit that this user may execute. (`access(X_OK)` alone says
  /// yes to root for any file.)
  public static func isExecutable(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o111 != 0 else {
      return false
    }
    return access(path, X_OK) == 0
  }
}
