// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSystem
import RigHardware
import RigSimulator

/// DESIGN §8: flashing at a given baud ≥ 90 % of the link's byte rate. A 1 MiB image goes to the
/// simulated ROM and flashloader through a pseudo-terminal and the termios link, exactly as
/// `rig run` flashes; the simulated UART moves 10 bit times per byte each way at `baud`. The
/// figure is the WriteMemory data phase's image bytes per second over the line's byte rate
/// (baud ÷ 10): what the protocol and the host leave of the link.
func flashThroughputBenchmark(_ files: BenchmarkFiles, baud: Int = 1_000_000) async throws -> [Figure] {
  var settings = SimulationSettings(bootTime: .milliseconds(20))
  settings.flash = SimulatedFlashSettings(baud: baud, maxPacketSize: 1024)
  let rig = RigConfiguration(
    name: "bench-flash", file: files.root.appendingPathComponent("bench-flash.yaml"), board: "virtual-rt1062",
    timing: BenchTiming(powerOffTime: .milliseconds(20)), simulation: settings)
  let simulated = try SimulatedBench.wiredToPseudoTerminal(settings: settings, rig: rig)
  let link = try TermiosSerialLink(path: simulated.consoleDevicePath!, baud: 115_200)
  let flasher = simulated.flasher(over: link)

  var random = SystemRandomNumberGenerator()
  let application = (0..<(1 << 20) - FlexSPIBootImage.applicationOffset).map { _ in UInt8.random(in: 0...255, using: &random) }
  let image = FirmwareImage(
    file: files.root.appendingPathComponent("one-mib.bin"), loadAddress: RT1062MemoryMap.flexSPIBase,
    bytes: FlexSPIBootImage.make(application: application))

  let rates = Locked<[String: Double]>([:])
  let report = try await flasher.flash(image, deadline: .now + .seconds(600)) { progress in
    if progress.done == progress.total && progress.total > 0 {
      rates.withLock { $0[progress.stage] = progress.bytesPerSecond }
    }
  }
  await link.close()
  await simulated.shutdown()

  let line = Double(baud) / 10
  let (write, verify) = rates.withLock { ($0["write"] ?? 0, $0["verify"] ?? 0) }
  return [
    Figure(
      name: "flashing 1 MiB at \(baud) baud, write data phase over the line's byte rate", value: write / line,
      unit: "×", limit: 0.90, direction: .atLeast,
      note: "write \(Int(write)) B/s, read-back verify \(Int(verify)) B/s, line \(Int(line)) B/s; whole flash "
        + "(power cycle, SDP flashloader load, configure, erase, write, verify, reset) "
        + "\(MetricFormat.format3(report.seconds)) s = \(Int(report.bytesPerSecond)) image B/s")
  ]
}
