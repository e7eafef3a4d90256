// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

/// What the fake lines and sleeps saw, in order: `GPIO17=1`, `sleep 50ms`, `GPIO17 released`.
private final class Trace: Sendable {
  private let entries = Locked<[String]>([])
  func add(_ entry: String) { entries.withLock { $0.append(entry) } }
  var all: [String] { entries.withLock { $0 } }

  var sleep: RoleSleep {
    { duration in self.add("sleep \(DurationParser.format(duration))") }
  }
}

/// A digital output that records every change; it fails on the `failOn`-th set (1-based).
private final class FakeLine: DigitalOutput {
  let name: String
  let trace: Trace
  let failOn: Int?
  private let sets = Locked(0)

  init(_ name: String, _ trace: Trace, failOn: Int? = nil) {
    self.name = name
    self.trace = trace
    self.failOn = failOn
  }

  func set(_ active: Bool) async throws {
    let n = sets.withLock { count -> Int in
      count += 1
      return count
    }
    if n == failOn {
      throw RigError(.hardwareFault, "GPIO \(name): cannot set value: Input/output error")
    }
    trace.add("\(name)=\(active ? 1 : 0)")
  }

  func release() async { trace.add("\(name) released") }
}

@Suite struct HardwareRolesTests {
  @Test("a power switch drives its line and waits the on or off delay")
  func powerDelays() async throws {
    let trace = Trace()
    let power = LinePowerSwitch(
      line: FakeLine("GPIO17", trace), onDelay: .milliseconds(50), offDelay: .milliseconds(20),
      sleep: trace.sleep)
    try await power.set(.on)
    try await power.set(.off)
    await power.release()
    #expect(trace.all == ["GPIO17=1", "sleep 50ms", "GPIO17=0", "sleep 20ms", "GPIO17 released"])
  }

  @Test("a power switch whose line fails says which way it was switching, through which line")
  func powerFailure() async throws {
    let trace = Trace()
    let power = LinePowerSwitch(line: FakeLine("GPIO17", trace, failOn: 1), sleep: trace.sleep)
    await #expect {
      try await power.set(.on)
    } throws: { error in
      let rig = error as? RigError
      return rig?.code == .hardwareFault
        && rig?.message
          == "cannot switch power on through GPIO17: GPIO GPIO17: cannot set value: Input/output error"
    }
    #expect(trace.all.isEmpty, "no delay after a failed switch")
  }

  @Test("a reset pulse asserts, waits the pulse width and releases")
  func resetPulse() async throws {
    let trace = Trace()
    let reset = ResetLine(
      line: FakeLine("GPIO27", trace), pulseWidth: .milliseconds(100), sleep: trace.sleep)
    try await reset.pulse()
    #expect(trace.all == ["GPIO27=1", "sleep 100ms", "GPIO27=0"])
  }

  @Test("a reset pulse whose wait is cancelled still lets the DUT out of reset")
  func resetCancelled() async throws {
    let trace = Trace()
    let reset = ResetLine(
      line: FakeLine("GPIO27", trace), pulseWidth: .seconds(1),
      sleep: { _ in throw CancellationError() })
    await #expect(throws: CancellationError.self) { try await reset.pulse() }
    #expect(trace.all == ["GPIO27=1", "GPIO27=0"])
  }

  @Test("a reset line that cannot be released says the DUT may be held in reset")
  func resetStuck() async throws {
    let trace = Trace()
    let reset = ResetLine(
      line: FakeLine("GPIO27", trace, failOn: 2), pulseWidth: .milliseconds(1), sleep: trace.sleep)
    await #expect {
      try await reset.pulse()
    } throws: { error in
      (error as? RigError)?.message.hasPrefix(
        "cannot release reset on GPIO27; the DUT may be held in reset") == true
    }
  }

  @Test("a boot-mode selector drives each line to its pattern, in line order")
  func bootModes() async throws {
    let trace = Trace()
    let selector = try BootModeSelector(
      lines: [FakeLine("GPIO5", trace), FakeLine("GPIO6", trace)],
      patterns: ["serial_downloader": [false, true], "internal": [true, false]])
    try await selector.select(.serialDownloader)
    try await selector.select(.internal)
    await selector.release()
    #expect(
      trace.all == [
        "GPIO5=0", "GPIO6=1", "GPIO5=1", "GPIO6=0", "GPIO5 released", "GPIO6 released",
      ])
    #expect(selector.modes == ["internal", "serial_downloader"])
  }

  @Test("a boot-mode selector refuses unknown modes and patterns of the wrong length")
  func bootModeMistakes() async throws {
    let trace = Trace()
    let lines: [any DigitalOutput] = [FakeLine("GPIO5", trace), FakeLine("GPIO6", trace)]
    #expect {
      _ = try BootModeSelector(lines: lines, patterns: ["internal": [true]])
    } throws: { error in
      (error as? RigError)?.message
        == "boot mode 'internal' gives 1 levels for 2 lines (GPIO5, GPIO6)"
    }
    let selector = try BootModeSelector(lines: lines, patterns: ["internal": [true, false]])
    await #expect {
      try await selector.select(.serialDownloader)
    } throws: { error in
      (error as? RigError)?.message
        == "boot mode 'serial_downloader' is not configured (configured: internal)"
    }
    #expect(trace.all.isEmpty)
  }
}
