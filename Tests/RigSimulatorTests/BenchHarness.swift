// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// A simulated bench with a test host on its console: power on, hello, start, stream frames.
final class BenchHarness {
  let simulated: SimulatedBench
  let bench: Bench
  let records: RecordReader
  /// The run nonce sent with hello.
  private(set) var nonce: UInt32 = 0
  /// Records `play` skipped: other kinds, other nonces.
  private(set) var skipped: [RecordReader.Record] = []

  init(settings: SimulationSettings = SimulationSettings(bootTime: .milliseconds(5)), rig name: String = "sim-test") {
    let rig = RigConfiguration(
      name: name, file: URL(fileURLWithPath: "/dev/null"), board: "virtual-rt1062",
      simulation: settings)
    simulated = SimulatedBench(settings: settings, rig: rig)
    bench = simulated.bench()
    records = RecordReader(console: bench.console)
  }

  /// Power on and wait for the boot record.
  @discardableResult
  func boot() async throws -> RecordReader.Record {
    try await bench.power.set(.on)
    return try #require(try await records.next("boot"))
  }

  /// Boot, hello with `nonce`, configure the camera, start `test`.
  func startTest(
    _ test: String, nonce: UInt32 = 0xC0FFEE,
    setup: CameraSetup = .init(format: .gray8, width: 96, height: 96)
  ) async throws {
    try await boot()
    self.nonce = nonce
    try await records.hello(nonce: nonce)
    _ = try #require(try await records.next("hello"))
    try await bench.camera.configure(setup, deadline: .now + .seconds(1))
    try await records.start(test: test)
    _ = try #require(try await records.next("ack"))
  }

  /// Streams frames, keeping at most the camera's capacity queued, and collects one frame
  /// record per frame: those with the run's nonce, intact or not. Others go to `skipped`.
  func play(_ frames: [[UInt8]], timeout: Duration = .seconds(10)) async throws -> [RecordReader
    .Record]
  {
    var results: [RecordReader.Record] = []
    var sent = 0
    let capacity = bench.camera.queueCapacity
    let deadline = TestTime.deadline(in: timeout)
    while results.count < frames.count {
      while sent < frames.count && sent - results.count < capacity {
        try await bench.camera.enqueue(
          EmulatorFrame(index: sent, bytes: frames[sent]), deadline: .now + .seconds(1))
        sent += 1
      }
      let left = ContinuousClock.now.duration(to: deadline)
      guard let record = try await records.next(within: left) else { break }
      if record.kind == "frame" && record.nonce == nonce {
        results.append(record)
      } else {
        skipped.append(record)
      }
    }
    return results
  }

  func close() async {
    await bench.close()
  }
}
