// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

@Suite("rig sim rom on hostile hosts", .timeLimit(.minutes(TestTime.minutes(1))))
struct SimROMTests {
  /// Found by fuzzing: the ROM reserved memory for the length a WriteFile announced, so a host
  /// announcing 2.7 GB took it down; now the buffer grows only with the bytes that arrive.
  /// Not under a sanitizer: ThreadSanitizer's and AddressSanitizer's shadow memory alone needs
  /// far more than 2 GB of address space, so the ROM could not even start.
  @Test(
    "a WriteFile announcing 2.7 GB does not take the ROM down in 2 GB of address space",
    .disabled(if: TestTime.sanitizer != nil, "a sanitizer's shadow memory does not fit in 2 GB of address space"))
  func hugeWriteFile() async throws {
    let rig = try RigCommand()
    let link = rig.scratch.appendingPathComponent("rom").path
    let rom = try await TestProcess(
      URL(fileURLWithPath: "/bin/sh"),
      ["-c", "ulimit -v 2000000 && exec \"$0\" sim rom --link \"$1\" --baud 0",
       RigCommand.executable.path, link],
      in: RigCommand.repositoryRoot, environment: rig.environment)
    defer { rom.signal(SIGTERM) }
    #expect(await TestProcess.eventually { FileManager.default.fileExists(atPath: link) })
    let host = try RawTerminal(path: link)
    host.write(SDPCommand.writeFile(address: 0x2000_0000, count: 0xA500_4000).bytes)
    host.write([UInt8](repeating: 0xA5, count: 64))
    // The data phase ends when the host stops sending (200 ms); then the ROM answers again.
    try await Task.sleep(for: .milliseconds(600))
    host.write(SDPCommand.errorStatus.bytes)
    let answer = await host.read(8, within: .seconds(10))
    #expect(answer.count == 8, "the ROM answered \(answer); stderr: \(rom.stderr)")
  }
}

/// The host's end of a pseudo-terminal, raw.
private final class RawTerminal {
  let descriptor: Int32

  init(path: String) throws {
    descriptor = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK)
    guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    var settings = termios()
    tcgetattr(descriptor, &settings)
    cfmakeraw(&settings)
    tcsetattr(descriptor, TCSANOW, &settings)
  }

  deinit { close(descriptor) }

  func write(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
  }

  /// Up to `count` bytes, waiting at most `limit` for them.
  func read(_ count: Int, within limit: Duration) async -> [UInt8] {
    var out: [UInt8] = []
    let deadline = ContinuousClock.now + limit
    while out.count < count, ContinuousClock.now < deadline {
      var buffer = [UInt8](repeating: 0, count: count - out.count)
      let n = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
      if n > 0 { out += buffer.prefix(n) } else { try? await Task.sleep(for: .milliseconds(10)) }
    }
    return out
  }
}
