// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator

/// DESIGN §8: the host timestamp added to a record's arrival ≤ 100 µs (no polling quantum).
///
/// A line is written into a pseudo-terminal's controller side; the termios link's reader thread
/// stamps the chunk when `read(2)` returns it. The figure is the time from just before the write
/// to that stamp: kernel tty delivery plus the wake-up of the blocked reader.
func arrivalStampBenchmark() async throws -> [Figure] {
  let pty = try PseudoTerminal()
  defer { pty.close() }
  let link = try TermiosSerialLink(path: pty.devicePath, baud: 115_200)
  let line = Array("~T1 ack 0000ABCD cmd=start *00000000\r\n".utf8)
  var delays: [Double] = []
  for _ in 0..<2_000 {
    let written = ContinuousClock.now
    _ = line.withUnsafeBytes { write(pty.controller, $0.baseAddress, $0.count) }
    var received = 0
    var firstArrival: ContinuousClock.Instant?
    while received < line.count {
      guard let chunk = try await link.read(until: .now + .seconds(1)) else { fatalError("pty read timed out") }
      firstArrival = firstArrival ?? chunk.arrival
      received += chunk.bytes.count
    }
    delays.append((firstArrival! - written).seconds * 1e6)
  }
  await link.close()
  let sorted = delays.sorted()
  let p99 = sorted[sorted.count * 99 / 100]
  return [
    Figure(
      name: "arrival stamp delay over a pseudo-terminal, median", value: median(delays), unit: "µs",
      limit: 100, direction: .atMost, note: "2,000 lines; p99 \(MetricFormat.format3(p99)) µs"),
  ]
}
