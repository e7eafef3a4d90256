// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// An exclusive claim on a rig, so two runs never drive one bench at once.
///
/// The lock is `flock(2)` on a file named after the rig in the lock folder (`$RIG_LOCK_DIR`, else
/// `$XDG_RUNTIME_DIR/rig`, else `/tmp/rig-locks`); the kernel releases it when the process dies,
/// however it dies. The file holds who took it, so a refused run can say who holds it.
final class RigLock {
  private let fd: Int32
  let path: String

  private init(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
  }

  static var directory: String {
    let env = ProcessInfo.processInfo.environment
    if let dir = env["RIG_LOCK_DIR"], !dir.isEmpty { return dir }
    if let runtime = env["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/rig" }
    return "/tmp/rig-locks"
  }

  /// Takes the lock of `rig`, or throws naming the process that holds it.
  static func acquire(rig: String, purpose: String) throws -> RigLock {
    let dir = directory
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = "\(dir)/\(rig).lock"
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw RigError(
        .hardwareUnavailable,
        "cannot create the lock file \(path): \(SystemError.last("open", path).reason) (set RIG_LOCK_DIR to a writable folder)")
    }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      close(fd)
      throw RigError(
        .hardwareUnavailable,
        "rig '\(rig)' is in use" + (holder.isEmpty ? "" : " by \(holder)")
          + " (lock \(path)); wait for that run to finish")
    }
    let note = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since \(ISO8601DateFormatter().string(from: Date())): \(purpose)\n"
    _ = ftruncate(fd, 0)
    _ = note.withCString { pwrite(fd, $0, strlen($0), 0) }
    return RigLock(fd: fd, path: path)
  }

  func release() {
    _ = ftruncate(fd, 0)
    flock(fd, LOCK_UN)
    close(fd)
  }
}
