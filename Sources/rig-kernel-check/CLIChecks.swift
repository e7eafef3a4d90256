// SPDX-License-Identifier: Apache-2.0
import RigHardware

/// `rig doctor` and `rig power` run as a user runs them, on rig files naming the guest's
/// gpio-sim lines and emulated FTDI (Scripts/qemu/rigs, installed as /etc/rig/*.yaml).
struct CLIChecks {
  let rig: String
  let sim: GPIOSimulator
  static let present = "/etc/rig/guest.yaml"
  static let absent = "/etc/rig/guest-absent.yaml"

  func run(_ run: inout CheckRun) async {
    await run.check("rig doctor passes on a rig file whose hardware is all there") {
      let doctor = try await RigInvocation.run(rig, ["doctor", "--rig", Self.present])
      try expect(doctor.status == 0, "exit \(doctor.status):\n\(doctor.text)")
    }

    await run.check("rig power on, off, cycle and reset exit 0 on gpio-sim lines") {
      for action in ["on", "off", "cycle", "reset"] {
        let power = try await RigInvocation.run(rig, ["power", action, "--rig", Self.present])
        try expect(power.status == 0, "rig power \(action): exit \(power.status):\n\(power.text)")
      }
      let held = GPIOChips.list().flatMap(\.lines).filter(\.used)
      try expect(held.isEmpty, "lines still held after rig exited: \(held)")
    }

    await run.check("rig power and doctor exit 69 naming the holder of a busy power line") {
      let holder = try GPIOOutputLine(
        spec: GPIOLineSpec(line: .name("relay0")), initial: false, consumer: "bench-holder")
      let expected = "line relay0 on \(sim.relays.chipName) is busy (held by bench-holder)"
      for command in [["power", "on"], ["doctor"]] {
        let child = try await RigInvocation.run(rig, command + ["--rig", Self.present])
        try expect(
          child.status == 69 && child.text.contains(expected),
          "rig \(command.joined(separator: " ")): exit \(child.status), expected 69 and "
            + "'\(expected)':\n\(child.text)")
      }
      await holder.release()
    }

    await run.check("rig power and doctor exit 69 naming a line no chip has") {
      for command in [["power", "on"], ["doctor"]] {
        let child = try await RigInvocation.run(rig, command + ["--rig", Self.absent])
        try expect(
          child.status == 69 && child.text.contains("GPIO99") && child.text.contains("relay0"),
          "rig \(command.joined(separator: " ")): exit \(child.status), expected 69 naming "
            + "GPIO99 and the lines present:\n\(child.text)")
      }
    }
  }
}
