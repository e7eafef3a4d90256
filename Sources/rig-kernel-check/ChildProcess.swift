// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A program run to the end, as a user would run it from a shell.
struct ChildProcess {
  var status: Int32
  var output: Data
  var errors: String

  /// Everything it printed, stdout then stderr.
  var text: String { String(decoding: output, as: UTF8.self) + errors }

  /// Runs `path` with `arguments` and waits for it to exit.
  ///
  /// posix_spawn rather than Foundation's Process, whose run loop wants an AF_INET socket
  /// pair the guest kernel (built without IPv4) cannot make.
  static func run(_ path: String, _ arguments: [String]) throws -> ChildProcess {
    var output: [Int32] = [0, 0]
    guard pipe(&output) == 0 else {
      throw CheckFailure("pipe: \(String(cString: strerror(errno)))")
    }
    // stderr goes to a file, so a child filling it cannot stall while stdout is being read.
    let errorPath = NSTemporaryDirectory() + "rig-kernel-check-\(getpid()).stderr"
    defer { unlink(errorPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addclose(&actions, output[0])
    posix_spawn_file_actions_addclose(&actions, output[1])
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
    close(output[1])
    let reader = FileHandle(fileDescriptor: output[0], closeOnDealloc: true)
    guard spawned == 0 else {
      throw CheckFailure("cannot run \(path): \(String(cString: strerror(spawned)))")
    }
    let stdout = reader.readDataToEndOfFile()
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    return ChildProcess(status: exitStatus, output: stdout, errors: errors)
  }
}
