// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// The virtual DUT's console read by rig's own telemetry codec, as the runner reads it.
@Suite("Simulated bench with the host telemetry codec", .timeLimit(.minutes(TestTime.minutes(1))))
struct HostDecoderInteropTests {
  /// Everything the console says until `deadline`, or until `stop` returns true.
  private func collect(
    _ console: any SerialLink, _ decoder: inout TelemetryDecoder, until deadline: Duration,
    stop: ([ConsoleItem]) -> Bool = { _ in false }
  ) async throws -> [ConsoleItem] {
    var items: [ConsoleItem] = []
    let end = ContinuousClock.now + deadline
    while !stop(items), let chunk = try await console.read(until: end) {
      decoder.decode(chunk) { items.append($0) }
    }
    return items
  }

  @Test("every record decodes, with the identity and frame values the models give")
  func recordsDecode() async throws {
    let faults = [
      SimulatedFault(kind: .garbage, test: "interop", frame: 1),
      SimulatedFault(kind: .corruptRecord, test: "interop", frame: 2),
      SimulatedFault(kind: .staleRecord, test: "interop", frame: 3),
    ]
    let settings = SimulationSettings(bootTime: .milliseconds(5), faults: faults)
    let h = BenchHarness(settings: settings)
    let console = h.bench.console
    var decoder = TelemetryDecoder()
    let nonce: UInt32 = 0xA1B2_C3D4
    let frames = (0..<5).map { i in
      TestFrames.gray(squares: [TestFrames.Square(x: 10 + 10 * i, y: 30)], seed: i)
    }

    try await h.bench.power.set(.on)
    var items = try await collect(console, &decoder, until: .seconds(2)) { items in
      items.contains {
        if case .record(let m, _) = $0, case .boot = m.record { true } else { false }
      }
    }
    try await console.write(
      TelemetryEncoder.encode(.hello(nonce: nonce)), deadline: .now + .seconds(1))
    try await console.write(
      TelemetryEncoder.encode(.start(nonce: nonce, test: "interop")), deadline: .now + .seconds(1))
    for (i, frame) in frames.enumerated() {
      try await h.bench.camera.enqueue(
        EmulatorFrame(index: i, bytes: frame), deadline: .now + .seconds(1))
    }
    items += try await collect(console, &decoder, until: .seconds(3)) { items in
      items.contains {
        if case .record(let m, _) = $0, case .frame(let f) = m.record {
          f.sequence == 4
        } else {
          false
        }
      }
    }
    await h.close()

    let messages = items.compactMap { if case .record(let m, _) = $0 { m } else { nil } }
    guard case .boot(let identity) = try #require(messages.first).record else {
      Issue.record("the first record is not the boot record: \(messages)")
      return
    }
    #expect(messages.first?.nonce == 0)
    #expect(identity.firmwareVersion == "sim-1.0.0")
    #expect(identity.buildFlags == ["cmsis_nn", "O2", "sim"])
    #expect(identity.cpuHz == settings.latency.cpuHz)
    #expect(identity.arenaUsed == settings.memory.arenaUsedBytes)
    #expect(identity.staticRAM == settings.memory.staticBytes)
    #expect(identity.resetCause == "por")
    #expect(messages.contains { $0.nonce == nonce && $0.record == .ack(command: "start") })

    let ours = messages.filter { $0.nonce == nonce }.compactMap {
      if case .frame(let f) = $0.record { f } else { nil }
    }
    // Frame 2's record was damaged on the wire: the decoder refuses it.
    #expect(ours.map(\.sequence) == [0, 1, 3, 4])
    for report in ours {
      let frame = frames[Int(report.sequence)]
      #expect(report.frameCRC == CRC32.checksum(frame))
      #expect(report.length == frame.count)
      #expect(report.count == 1)
      #expect(report.status == "ok")
      #expect(
        report.stackHighWater == settings.memory.stackBaseBytes
          + settings.memory.stackPerBlobBytes)
      #expect(report.cycles.invoke > 0)
    }
    let damaged = items.filter { if case .damaged(_, .badChecksum, _) = $0 { true } else { false } }
    #expect(damaged.count == 1)
    #expect(items.contains { if case .log = $0 { true } else { false } })
    let stale = messages.filter {
      if case .frame = $0.record { $0.nonce != nonce } else { false }
    }
    #expect(stale.count == 1)
  }
}
