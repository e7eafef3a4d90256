// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// rig's GPIO backends (GPIOOutputLine, GPIOEdgeInput, GPIOChips over the libgpiod shim)
/// against gpio-sim lines of the real kernel's GPIO character device.
struct GPIOChecks {
  let sim: GPIOSimulator
  /// The consumer rig's lines are requested under in these checks.
  let consumer = "rig-kernel-check"

  var header: GPIOSimulator.Bank { sim.header }
  var relays: GPIOSimulator.Bank { sim.relays }

  func run(_ run: inout CheckRun) async {
    run.emit("libgpiod \(GPIOChips.libgpiodVersion) (API v\(GPIOChips.libgpiodAPI))")
    await listing(&run)
    await outputs(&run)
    await inputs(&run)
    await refusals(&run)
  }

  /// The chips and their named lines, as `rig gpio list` shows them.
  private func listing(_ run: inout CheckRun) async {
    await run.check("gpio list shows both chips with their named lines") {
      let chips = GPIOChips.list()
      let names = chips.map { "\($0.name) [\($0.label)]" }.joined(separator: ", ")
      guard let first = chips.first(where: { $0.name == header.chipName }),
        let second = chips.first(where: { $0.name == relays.chipName })
      else { throw CheckFailure("chips listed: \(names)") }
      try expect(first.label == header.name, "\(first.name) has label '\(first.label)'")
      try expect(first.lines.count == 32, "\(first.name) has \(first.lines.count) lines, not 32")
      for (offset, name) in [(17, "GPIO17"), (22, "GPIO22"), (23, "GPIO23"), (27, "GPIO27")] {
        try expect(
          first.lines[offset].name == name,
          "line \(offset) of \(first.name) is named \(first.lines[offset].name ?? "nothing")")
      }
      try expect(first.lines[4].name == nil, "unnamed line 4 is listed as \(first.lines[4].name!)")
      try expect(
        second.namedLines.map(\.name) == ["relay0", "relay1", "relay2", "relay3"],
        "\(second.name) names \(second.namedLines.compactMap(\.name))")
    }
  }

  /// Output lines found by name, chip and offset, label or number; active-low and open-drain.
  private func outputs(_ run: inout CheckRun) async {
    await run.check("gpio output by line name drives the pin the simulator sees") {
      let line = try GPIOOutputLine(
        spec: GPIOLineSpec(line: .name("GPIO17")), initial: false, consumer: consumer)
      try expect(
        line.location.chipName == header.chipName && line.location.offset == 17,
        "GPIO17 was found at \(line.name)")
      try expect(try sim.level(header, 17) == 0, "initial inactive, simulator sees 1")
      try line.setNow(true)
      try expect(try sim.level(header, 17) == 1, "set active, simulator sees 0")
      try expect(try line.value(), "set active, reads back inactive")
      try await line.set(false)
      try expect(try sim.level(header, 17) == 0, "set inactive, simulator sees 1")
      await line.release()
    }

    await run.check("gpio output by chip and offset, by chip label and by chip number") {
      let specs = [
        GPIOLineSpec(chip: relays.chipName, line: .offset(2)),
        GPIOLineSpec(chip: "/dev/\(relays.chipName)", line: .offset(2)),
        GPIOLineSpec(chip: relays.name, line: .name("relay2")),
        GPIOLineSpec(chip: String(relays.chipName.dropFirst("gpiochip".count)), line: .offset(2)),
      ]
      for spec in specs {
        let line = try GPIOOutputLine(spec: spec, initial: true, consumer: consumer)
        try expect(
          line.location.chipName == relays.chipName && line.location.offset == 2,
          "\(spec) was found at \(line.name)")
        try expect(try sim.level(relays, 2) == 1, "\(spec): initial active, simulator sees 0")
        try line.setNow(false)
        try expect(try sim.level(relays, 2) == 0, "\(spec): set inactive, simulator sees 1")
        await line.release()
      }
    }

    await run.check("gpio active-low output inverts on the pin") {
      let line = try GPIOOutputLine(
        spec: GPIOLineSpec(line: .name("GPIO22"), activeLow: true), initial: false,
        consumer: consumer)
      try expect(try sim.level(header, 22) == 1, "inactive active-low line is low on the pin")
      try line.setNow(true)
      try expect(try sim.level(header, 22) == 0, "active active-low line is high on the pin")
      try expect(try line.value(), "active-low line set active reads back inactive")
      await line.release()
    }

    await run.check("gpio open-drain output only pulls low") {
      try sim.pull(relays, 3, up: true)
      let line = try GPIOOutputLine(
        spec: GPIOLineSpec(chip: relays.chipName, line: .name("relay3"), drive: .openDrain),
        initial: true, consumer: consumer)
      try expect(try sim.level(relays, 3) == 1, "released open-drain line with pull-up is low")
      try line.setNow(false)
      try expect(try sim.level(relays, 3) == 0, "open-drain line driven low is high")
      try line.setNow(true)
      try sim.pull(relays, 3, up: false)
      try expect(
        try sim.level(relays, 3) == 0,
        "released open-drain line stays high under a pull-down: it drives instead of floating")
      await line.release()
    }
  }

  /// Edge inputs: kernel timestamps, a wait that times out, active-low.
  private func inputs(_ run: inout CheckRun) async {
    await run.check("gpio edges arrive with kernel CLOCK_MONOTONIC timestamps") {
      try sim.pull(header, 27, up: false)
      let input = try GPIOEdgeInput(
        spec: GPIOLineSpec(line: .name("GPIO27")), edges: .both, consumer: consumer)
      try expect(try await input.read() == false, "pulled-down input reads active")
      var previous: UInt64 = 0
      for up in [true, false, true] {
        let before = Self.monotonicNanoseconds()
        try sim.pull(header, 27, up: up)
        let after = Self.monotonicNanoseconds()
        guard let edge = try await input.nextEdge(until: .now + .seconds(2)) else {
          throw CheckFailure("no edge within 2 s of pulling GPIO27 \(up ? "up" : "down")")
        }
        try expect(
          edge.rising == up,
          "pulling \(up ? "up" : "down") gave a \(edge.rising ? "rising" : "falling") edge")
        try expect(
          edge.timestampNanoseconds >= before && edge.timestampNanoseconds <= after,
          "edge stamped \(edge.timestampNanoseconds) ns, outside the write [\(before), \(after)]")
        try expect(edge.timestampNanoseconds > previous, "edge timestamps do not increase")
        previous = edge.timestampNanoseconds
        try expect(
          try await input.read() == up, "after pulling \(up ? "up" : "down") value differs")
      }
      await input.release()
    }

    await run.check("gpio edge wait times out when nothing changes") {
      try sim.pull(header, 27, up: false)
      let input = try GPIOEdgeInput(
        spec: GPIOLineSpec(chip: header.chipName, line: .offset(27)), edges: .rising,
        consumer: consumer)
      let start = ContinuousClock.now
      let edge = try await input.nextEdge(until: start + .milliseconds(100))
      let waited = ContinuousClock.now - start
      try expect(edge == nil, "got \(String(describing: edge)) with no change")
      try expect(waited >= .milliseconds(100), "returned after \(waited), before its deadline")
      try sim.pull(header, 27, up: true)
      try sim.pull(header, 27, up: false)
      let rising = try await input.nextEdge(until: .now + .seconds(2))
      try expect(rising?.rising == true, "rising-only input saw \(String(describing: rising))")
      let falling = try await input.nextEdge(until: .now + .milliseconds(100))
      try expect(falling == nil, "rising-only input reported the falling edge \(falling!)")
      await input.release()
    }

    await run.check("gpio active-low input inverts its edges and value") {
      try sim.pull(header, 23, up: false)
      let input = try GPIOEdgeInput(
        spec: GPIOLineSpec(line: .name("GPIO23"), activeLow: true), edges: .both,
        consumer: consumer)
      try expect(try await input.read(), "low active-low input reads inactive")
      try sim.pull(header, 23, up: true)
      let edge = try await input.nextEdge(until: .now + .seconds(2))
      try expect(edge?.rising == false, "pin going high gave \(String(describing: edge))")
      try expect(try await input.read() == false, "high active-low input reads active")
      await input.release()
    }
  }

  /// What is refused, and how it is worded: a busy line, a missing chip or line, an offset past the end; and nothing left held.
  private func refusals(_ run: inout CheckRun) async {
    await run.check("gpio second request of a held line is busy, naming the holder") {
      let holder = try GPIOOutputLine(
        spec: GPIOLineSpec(line: .name("GPIO17")), initial: false, consumer: "bench-holder")
      let error = try await expectError("requesting GPIO17 while it is held") {
        _ = try GPIOOutputLine(
          spec: GPIOLineSpec(chip: header.chipName, line: .offset(17)), initial: false,
          consumer: consumer)
      }
      let expected = "line GPIO17 on \(header.chipName) is busy (held by bench-holder)"
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable
          && "\(error)".contains(expected),
        "error was '\(error)', expected hardwareUnavailable with '\(expected)'")
      await holder.release()
      let again = try GPIOOutputLine(
        spec: GPIOLineSpec(chip: header.chipName, line: .offset(17)), initial: false,
        consumer: consumer)
      await again.release()
    }

    await run.check("gpio missing chip is reported with the chips present") {
      let error = try await expectError("requesting a line on gpiochip9") {
        _ = try GPIOOutputLine(
          spec: GPIOLineSpec(chip: "gpiochip9", line: .offset(0)), initial: false,
          consumer: consumer)
      }
      let text = "\(error)"
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable && text.contains("'gpiochip9' not found")
          && text.contains(header.chipName) && text.contains(relays.chipName),
        "error was '\(text)'")
    }

    await run.check("gpio missing line name is reported with the names present") {
      let error = try await expectError("requesting GPIO99") {
        _ = try GPIOOutputLine(
          spec: GPIOLineSpec(line: .name("GPIO99")), initial: false, consumer: consumer)
      }
      let text = "\(error)"
      try expect(
        (error as? RigError)?.code == .hardwareUnavailable
          && text.contains("GPIO line 'GPIO99' not found") && text.contains("GPIO17")
          && text.contains("relay0"),
        "error was '\(text)'")
    }

    await run.check("gpio offset past the chip's end is a configuration error") {
      let error = try await expectError("requesting line 40 of a 32-line chip") {
        _ = try GPIOOutputLine(
          spec: GPIOLineSpec(chip: header.chipName, line: .offset(40)), initial: false,
          consumer: consumer)
      }
      try expect(
        (error as? RigError)?.code == .configInvalid && "\(error)".contains("no line 40"),
        "error was '\(error)'")
    }

    await run.check("gpio lines are free again after release") {
      for info in GPIOChips.list() {
        let held = info.lines.filter { $0.consumer == consumer }
        try expect(held.isEmpty, "\(info.name) lines still held: \(held.map(\.offset))")
      }
    }
  }

  /// CLOCK_MONOTONIC now, the clock the kernel stamps line events with.
  static func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
  }
}
