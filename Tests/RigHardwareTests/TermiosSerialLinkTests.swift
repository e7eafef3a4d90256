// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import Testing

import RigSimulator
@testable import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// A pseudo-terminal pair: the test plays the device on the controller side.
private struct PTY {
  let terminal: PseudoTerminal
  var controller: Int32 { terminal.controller }
  var devicePath: String { terminal.devicePath }

  init() throws { terminal = try PseudoTerminal() }

  func write(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { Glibc.write(controller, $0.baseAddress, $0.count) }
  }

  func read(count: Int, within seconds: Double = 2) -> [UInt8] {
    var out: [UInt8] = []
    let end = Date().addingTimeInterval(seconds)
    var buffer = [UInt8](repeating: 0, count: 4096)
    while out.count < count && Date() < end {
      var p = pollfd(fd: controller, events: Int16(POLLIN), revents: 0)
      if poll(&p, 1, 50) > 0 {
        let n = buffer.withUnsafeMutableBytes { Glibc.read(controller, $0.baseAddress, $0.count) }
        if n > 0 { out += buffer[0..<n] }
      }
    }
    return out
  }

  func close() { terminal.close() }
}

@Suite("termios serial link over a pseudo-terminal")
struct TermiosSerialLinkTests {
  @Test("bytes written by the device arrive in order, stamped on arrival")
  func readsInOrder() async throws {
    let pty = try PTY()
    defer { pty.close() }
    let link = try TermiosSerialLink(path: pty.devicePath, baud: 115_200)
    let payload = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let before = ContinuousClock.now
    pty.write(payload)
    var received: [UInt8] = []
    while received.count < payload.count {
      guard let chunk = try await link.read(until: .now + .seconds(2)) else { break }
      #expect(chunk.arrival >= before)
      received += chunk.bytes
    }
    #expect(received == payload)
    await link.close()
  }

  @Test("bytes written by the host reach the device")
  func writes() async throws {
    let pty = try PTY()
    defer { pty.close() }
    let link = try TermiosSerialLink(path: pty.devicePath, baud: 115_200)
    let line = Array("~H1 hello 0000ABCD *00000000\r\n".utf8)
    try await link.write(line, deadline: .now + .seconds(1))
    #expect(pty.read(count: line.count) == line)
    await link.close()
  }

  @Test("a read with nothing to read returns nil at its deadline")
  func readDeadline() async throws {
    let pty = try PTY()
    defer { pty.close() }
    let link = try TermiosSerialLink(path: pty.devicePath, baud: 115_200)
    let start = ContinuousClock.now
    let chunk = try await link.read(until: start + .milliseconds(100))
    #expect(chunk == nil)
    #expect(ContinuousClock.now - start >= .milliseconds(100))
    await link.close()
  }

  @Test("opening a port that does not exist names it")
  func missingPort() throws {
    #expect {
      _ = try TermiosSerialLink(path: "/dev/ttyRIG-does-not-exist", baud: 115_200)
    } throws: { error in
      guard let rig = error as? RigError else { return false }
      return rig.code == .hardwareUnavailable && rig.message.contains("/dev/ttyRIG-does-not-exist")
    }
  }
}
