// SPDX-License-Identifier: Apache-2.0
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `rig devices --json`, run as a user would run it on a bench, must list the emulated USB
/// serial port with its USB ids, serial number and by-id name.
struct DevicesCommandCheck {
  /// The `rig` binary in the guest.
  let rig: String

  func run(_ run: inout CheckRun) async {
    await run.check("rig devices --json lists ttyUSB0 with vid 0403, serial and by-id path") {
      let (status, output, errors) = try Self.capture(rig, ["devices", "--json"])
      try expect(status == 0, "rig devices --json exited \(status): \(errors)")
      let json: Any
      do {
        json = try JSONSerialization.jsonObject(with: output)
      } catch {
        throw CheckFailure("output is not JSON (\(error)): \(String(decoding: output, as: UTF8.self))")
      }
      // The port's object is whichever one has the device path; the names of its fields are
      // rig's to choose, the values are the kernel's.
      guard let port = Self.objects(in: json).first(where: { Self.strings(in: $0).contains(SerialChecks.usbPort) })
      else {
        throw CheckFailure("no entry for \(SerialChecks.usbPort) in \(String(decoding: output, as: UTF8.self))")
      }
      let values = Self.strings(in: port)
      let shown = String(describing: port)
      try expect(values.contains("0403"), "no vid 0403 in \(shown)")
      try expect(values.contains("6001"), "no pid 6001 in \(shown)")
      try expect(values.contains(SerialChecks.usbSerial), "no serial \(SerialChecks.usbSerial) in \(shown)")
      try expect(
        values.contains { $0.hasPrefix("/dev/serial/by-id/") && $0.contains(SerialChecks.usbSerial) },
        "no /dev/serial/by-id path in \(shown)")
    }
  }

  /// Every JSON object in `value`, outermost first.
  static func objects(in value: Any) -> [[String: Any]] {
    switch value {
    case let object as [String: Any]: [object] + object.values.flatMap(objects(in:))
    case let array as [Any]: array.flatMap(objects(in:))
    default: []
    }
  }

  /// Every string anywhere inside `value`.
  static func strings(in value: Any) -> [String] {
    switch value {
    case let string as String: [string]
    case let object as [String: Any]: object.values.flatMap(strings(in:))
    case let array as [Any]: array.flatMap(strings(in:))
    default: []
    }
  }

  /// Runs `path` with `arguments` and returns its exit status, stdout and stderr.
  ///
  /// posix_spawn rather than Foundation's Process, whose run loop wants an AF_INET socket
  /// pair the guest kernel (built without IPv4) cannot make.
  static func capture(_ path: String, _ arguments: [String]) throws -> (Int32, Data, String) {
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
    return (exitStatus, stdout, errors)
  }
}
