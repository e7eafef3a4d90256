// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator
import RigTestSupport
import Testing

/// The simulated bench's console as `rig run` uses it: a real pseudo-terminal, read and written
/// through the termios link.
@Suite("simulated DUT console over a pseudo-terminal", .timeLimit(.minutes(TestTime.minutes(1))))
struct SimulatedConsoleOverPTYTests {
  @Test("boot record, hello with a nonce and its answer all travel through the tty")
  func helloOverTTY() async throws {
    let settings = SimulationSettings(bootTime: .milliseconds(5))
    let rig = RigConfiguration(
      name: "pty", file: URL(fileURLWithPath: "/dev/null"), board: "virtual-rt1062", simulation: settings)
    let bench = try SimulatedBench.wiredToPseudoTerminal(settings: settings, rig: rig)
    let path = try #require(bench.consoleDevicePath)
    #expect(path.hasPrefix("/dev/pts/"))
    let link = try TermiosSerialLink(path: path, baud: 115_200)

    try await bench.power.set(.on)
    var decoder = TelemetryDecoder()
    func nextRecord(within: Duration) async throws -> TelemetryMessage? {
      let deadline = ContinuousClock.now + within
      while let chunk = try await link.read(until: deadline) {
        var found: TelemetryMessage?
        decoder.decode(chunk) { item in
          if case .record(let message, _) = item, found == nil { found = message }
        }
        if let found { return found }
      }
      return nil
    }
    let boot = try #require(try await nextRecord(within: .seconds(5)))
    guard case .boot = boot.record else {
      Issue.record("expected the boot record, got \(boot.record)")
      return
    }
    try await link.write(TelemetryEncoder.encode(.hello(nonce: 0xC0FFEE)), deadline: .now + .seconds(1))
    let hello = try #require(try await nextRecord(within: .seconds(5)))
    #expect(hello.nonce == 0xC0FFEE)

    try await bench.power.set(.off)
    await link.close()
    await bench.shutdown()
  }
}
