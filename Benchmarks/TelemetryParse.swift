// SPDX-License-Identifier: Apache-2.0
// Telemetry parsing throughput (DESIGN §8: ≥ 1,000,000 frame records/s on one core): frame
// records as the DUT writes them, in 4 KiB chunks as a serial read returns them, through the
// console decoder (line splitting, marker, checksum, fields). Build with -c release.
import Foundation
import RigCore

/// DESIGN §8: telemetry parsing + checks ≥ 1,000,000 records/s on one core.
func telemetryParseBenchmark() -> [Figure] {
  let target = 1_000_000.0
  let recordCount = 50_000
  let chunkSize = 4096
  let runs = 7

  // Varied values so the numbers are not all one length: a day corridor clip at 30 fps.
  var stream: [UInt8] = []
  var seed: UInt32 = 0x1062
  for index in 0..<recordCount {
    seed = seed &* 1_664_525 &+ 1_013_904_223
    let report = FrameReport(
      sequence: UInt32(index), frameCRC: seed, length: 9216, count: Int(seed % 7),
      inCount: index / 40, outCount: index / 55,
      cycles: StageCycles(
        capture: 900_000 + seed % 5000, preprocess: 80_000 + seed % 700,
        invoke: 17_000_000 + seed % 900_000, postprocess: 4000 + seed % 100),
      stackHighWater: 6144 + Int(seed % 64), heapHighWater: 0, status: "ok")
    stream += TelemetryEncoder.encode(TelemetryMessage(nonce: 0x5EED_1062, record: .frame(report)))
  }
  let chunks = stride(from: 0, to: stream.count, by: chunkSize).map {
    SerialChunk(bytes: Array(stream[$0..<min($0 + chunkSize, stream.count)]))
  }

  /// Decodes every chunk once; returns the records and a checksum of their contents so the work
  /// cannot be optimised away.
  func pass() -> (records: Int, other: Int, check: UInt64) {
    var decoder = TelemetryDecoder()
    var records = 0
    var other = 0
    var check: UInt64 = 0
    for chunk in chunks {
      decoder.decode(chunk) { item in
        if case .record(let message, _) = item, case .frame(let frame) = message.record {
          records += 1
          check &+= UInt64(frame.frameCRC) &+ frame.cycles.total &+ UInt64(frame.count)
        } else {
          other += 1
        }
      }
    }
    return (records, other, check)
  }

  let warm = pass()
  guard warm.records == recordCount, warm.other == 0 else {
    fatalError("telemetry parse: decoded \(warm.records) of \(recordCount) records, \(warm.other) other items")
  }
  var cpuRates: [Double] = []
  for _ in 0..<runs {
    var result = (records: 0, other: 0, check: UInt64(0))
    // Per CPU-second of the decoding thread ("on one core"): other processes sharing the
    // machine do not count against it.
    let cpuStart = threadCPUSeconds()
    result = pass()
    let cpuSeconds = threadCPUSeconds() - cpuStart
    precondition(result.check == warm.check, "decoding is not deterministic")
    cpuRates.append(Double(result.records) / cpuSeconds)
  }
  let median = cpuRates.sorted()[runs / 2]
  let bytesPerRecord = Double(stream.count) / Double(recordCount)
  return [
    Figure(
      name: "telemetry parsing + checks", value: median, unit: "records/s", limit: target,
      direction: .atLeast,
      note: "median of \(runs) runs, \(recordCount) frame records of \(Int(bytesPerRecord)) B in "
        + "\(chunkSize)-byte chunks, per CPU-second of one thread")
  ]
}
