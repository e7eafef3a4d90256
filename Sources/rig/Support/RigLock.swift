// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem

/// An exclusive claim on everything a rig drives, so two runs never share a bench, even under
/// two rig files with different names (`BenchResource`: the rig's name, its serial ports, GPIO
/// lines, FTDI chips and power commands).
///
/// Each resource is one `flock(2)` on a file in the lock folder; the kernel releases it when the
/// process dies, however it dies, so a lock left by a dead run is simply taken over. The file
/// holds who took it, so a refused run can say which run, rig file, PID and start time hold it.
///
/// The folder is shared by every user of the host (`$RIG_LOCK_DIR`, else `/run/lock/rig`, else
/// `/tmp/rig-locks`): rig creates it with mode 1777, as `/tmp` is, and the lock files 0666, so a
/// second user's run is told who holds the bench instead of being refused the folder.
final class RigLock {
  private let held: [(fd: Int32, path: String)]

  private init(held: [(fd: Int32, path: String)]) {
    self.held = held
  }

  static var directory: String {
    if let dir = ProcessInfo.processInfo.environment["RIG_LOCK_DIR"], !dir.isEmpty { return dir }
    var info = stat()
    if stat("/run/lock", &info) == 0, access("/run/lock", W_OK) == 0 { return "/run/lock/rig" }
    return "/tmp/rig-locks"
  }

  /// Takes the lock of every resource of `rig`, or throws naming the run that holds one.
  static func acquire(rig: RigConfiguration, purpose: String) throws -> RigLock {
    let dir = directory
    makeShared(dir)
    let holder =
      "pid \(getpid()) on \(ProcessInfo.processInfo.hostName) since "
      + "\(ISO8601DateFormatter().string(from: Date())): \(purpose) on rig '\(rig.name)' "
      + "(\(rig.file.displayPath))\n"
    var held: [(fd: Int32, path: String)] = []
    for resource in BenchResource.of(rig).sorted() {
      let path = "\(dir)/\(fileName(resource.key))"
      do {
        held.append((try lock(path, resource: resource, rig: rig, holder: holder), path))
      } catch {
        RigLock(held: held).release()
        throw error
      }
    }
    return RigLock(held: held)
  }

  func release() {
    for (fd, _) in held.reversed() {
      _ = ftruncate(fd, 0)
      flock(fd, LOCK_UN)
      close(fd)
    }
  }

  /// One resource's lock: taken, with `holder` written in it, or an error naming who has it.
  private static func lock(_ path: String, resource: BenchResource, rig: RigConfiguration, holder: String) throws -> Int32 {
    var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o666)
    if fd >= 0 {
      // Readable and writable by the next user, whatever this one's umask.
      _ = fchmod(fd, 0o666)
    } else if errno == EACCES {
      // Another user's file from before locks were shared: locking needs no write access.
      fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    }
    guard fd >= 0 else {
      throw RigError(
        .hardwareUnavailable,
        "cannot open the lock file \(path): \(SystemError.last("open", path).reason) (set RIG_LOCK_DIR "
          + "to a folder every user of the bench may write, or see docs/bench-setup.md)")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let other = (try? String(contentsOfFile: path, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      close(fd)
      let owner = resource.key == "rig \(rig.name)" ? "" : " of rig '\(rig.name)' (\(rig.file.displayPath))"
      throw RigError(
        .hardwareUnavailable,
        "\(resource.role)\(owner) is in use" + (other.isEmpty ? "" : " by \(other)")
          + " (lock \(path)); wait for that run to finish")
    }
    _ = ftruncate(fd, 0)
    _ = holder.withCString { pwrite(fd, $0, strlen($0), 0) }
    return fd
  }

  /// Creates the lock folder for every user (1777, as /tmp); an existing one is used as it is.
  /// A folder that cannot be made is reported by the first lock file that cannot be opened.
  private static func makeShared(_ dir: String) {
    if mkdir(dir, 0o1777) != 0 {
      guard errno == ENOENT else { return }
      try? FileManager.default.createDirectory(
        atPath: (dir as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      guard mkdir(dir, 0o1777) == 0 else { return }
    }
    // mkdir's mode is cut by the umask; the folder's must not be.
    _ = chmod(dir, 0o1777)
  }

  /// A file name for a resource key: readable, and unique through a checksum of the whole key.
  static func fileName(_ key: String) -> String {
    let readable = String(
      key.unicodeScalars.map { scalar -> Character in
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : "-"
      }
      .prefix(80))
    let sum = String(CRC32.checksum(Array(key.utf8)), radix: 16)
    return "\(readable)-\(String(repeating: "0", count: 8 - sum.count))\(sum).lock"
  }
}
