// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// The checks of the real-kernel test tier, run as PID 1's child inside the QEMU guest that
/// Scripts/qemu builds: rig's hardware backends against gpio-sim, a 16550 UART and an emulated
/// USB FTDI serial port. Prints `PASS name` / `FAIL name: why` per check, then the summary
/// line `rig-kernel-check: N passed, M failed`; exits 1 if any check failed.
///
/// Usage: `rig-kernel-check [--rig PATH] [--only gpio,serial,devices,cli,ftdi]`
@main
struct RigKernelCheck {
  static let groups = ["gpio", "serial", "devices", "cli", "ftdi"]

  static func main() async {
    var rig = "/bin/rig"
    var only = Set(groups)
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
      switch argument {
      case "--rig" where !arguments.isEmpty:
        rig = arguments.removeFirst()
      case "--only" where !arguments.isEmpty:
        only = Set(arguments.removeFirst().split(separator: ",").map(String.init))
        let unknown = only.subtracting(groups)
        if !unknown.isEmpty { usage("unknown group \(unknown.sorted()); groups are \(groups)") }
      default:
        usage("unknown argument '\(argument)'")
      }
    }

    var run = CheckRun()
    let kernel = (try? GPIOSimulator.attribute("/proc/sys/kernel/osrelease")) ?? "unknown"
    run.emit("rig-kernel-check: kernel \(kernel), groups \(groups.filter(only.contains))")

    var sim: GPIOSimulator?
    do {
      sim = try GPIOSimulator.discover()
    } catch {
      run.emit("no gpio-sim: \(error)")
    }
    if only.contains("gpio") {
      if let sim {
        await GPIOChecks(sim: sim).run(&run)
      } else {
        run.skipFailing("gpio checks", because: "gpio-sim is not set up")
      }
    }
    if only.contains("serial") {
      var logger = Logger(label: "rig-kernel-check")
      logger.logLevel = .info
      await SerialChecks(logger: logger).run(&run)
    }
    if only.contains("devices") {
      await DevicesCommandCheck(rig: rig).run(&run)
    }
    if only.contains("cli") {
      if let sim {
        await CLIChecks(rig: rig, sim: sim).run(&run)
      } else {
        run.skipFailing("rig doctor and rig power checks", because: "gpio-sim is not set up")
      }
    }
    if only.contains("ftdi") {
      await FTDIChecks().run(&run)
    }

    run.emit(run.summary)
    exit(run.failed.isEmpty ? 0 : 1)
  }

  static func usage(_ problem: String) -> Never {
    let usage = "usage: rig-kernel-check [--rig PATH] [--only \(groups.joined(separator: ","))]"
    FileHandle.standardError.write(Data("rig-kernel-check: \(problem)\n\(usage)\n".utf8))
    exit(64)
  }
}
