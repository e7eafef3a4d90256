// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@testable import RigHardware

#if canImport(Glibc)
  import Glibc
#endif

/// The GPIO messages for what the kernel reports: exact text where people rely on it.
@Suite struct GPIOFailureTests {
  static func location(name: String?, offset: Int = 17, used: Bool = false, consumer: String? = nil)
    -> GPIOLineLocation
  {
    GPIOLineLocation(
      chipName: "gpiochip0", chipLabel: "pinctrl-bcm2711", chipPath: "/dev/gpiochip0",
      offset: offset,
      line: GPIOLineInfo(offset: offset, name: name, consumer: consumer, used: used))
  }

  static func chip(_ name: String, label: String, names: [String?]) -> GPIOChipInfo {
    GPIOChipInfo(
      name: name, label: label, path: "/dev/" + name,
      lines: names.enumerated().map {
        GPIOLineInfo(offset: $0.offset, name: $0.element, consumer: nil, used: false)
      })
  }

  @Test("a line held by another process is busy, naming the holder")
  func busy() {
    let cause = CLibraryError.fromErrno(EBUSY, "request")
    let error = GPIOFailure.busy(Self.location(name: "GPIO17"), consumer: "relayd", cause: cause)
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message == "line GPIO17 on gpiochip0 is busy (held by relayd)")
    #expect(error.cause as? CLibraryError == cause)
  }

  @Test("a busy line without a name or a named holder is still described")
  func busyUnnamed() {
    let error = GPIOFailure.busy(
      Self.location(name: nil, offset: 4), consumer: nil,
      cause: CLibraryError.fromErrno(EBUSY, "request"))
    #expect(error.message == "line 4 on gpiochip0 is busy (held by an unnamed consumer)")
  }

  @Test("a located line reports itself busy only when the kernel says it is used")
  func busyProblem() {
    #expect(Self.location(name: "GPIO17").busyProblem == nil)
    #expect(
      Self.location(name: "GPIO17", used: true, consumer: "gpio-fan").busyProblem
        == "line GPIO17 on gpiochip0 is busy (held by gpio-fan)")
  }

  @Test("lines are named for messages by name, chip and offset")
  func displayName() {
    #expect(Self.location(name: "GPIO17").displayName == "GPIO17 (gpiochip0 line 17)")
    #expect(Self.location(name: nil, offset: 3).displayName == "gpiochip0 line 3")
  }

  @Test(
    "permission denied says to join the gpio group or check the udev rules",
    arguments: [EACCES, EPERM])
  func permission(code: Int32) {
    let error = GPIOFailure.chipUnusable(
      "/dev/gpiochip0", CLibraryError.fromErrno(code, "gs_chip_open"))
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message.hasPrefix(
        "cannot open GPIO chip /dev/gpiochip0: permission denied: add your user"))
    #expect(error.message.contains("'gpio' group"))
    #expect(error.message.contains("udev rules"))
    let request = GPIOFailure.requestFailed(
      Self.location(name: "GPIO17"), as: "an output", CLibraryError.fromErrno(code, "request"))
    #expect(request.code == .hardwareUnavailable)
    #expect(
      request.message.hasPrefix(
        "cannot request GPIO17 (gpiochip0 line 17) as an output: permission denied"))
    #expect(request.message.contains("'gpio' group"))
  }

  @Test(
    "settings the chip refuses are a hardware fault that says which settings may be unsupported")
  func refusedSettings() {
    let error = GPIOFailure.requestFailed(
      Self.location(name: "GPIO17"), as: "an output", CLibraryError.fromErrno(EINVAL, "request"))
    #expect(error.code == .hardwareFault)
    #expect(error.message.contains("the chip refused these settings (Invalid argument)"))
    #expect(error.message.contains("open-drain"))
  }

  @Test("a missing line name lists the named lines of every chip searched")
  func lineNotFound() {
    let chips = [
      Self.chip("gpiochip0", label: "pinctrl-rp1", names: ["GPIO0", "GPIO1", nil]),
      Self.chip("gpiochip1", label: "gpio-brcmstb", names: ["RP1_SDA"]),
    ]
    let error = GPIOFailure.lineNotFound("GPIO17", chip: nil, searched: chips, directory: "/dev")
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message
        == "GPIO line 'GPIO17' not found on any GPIO chip; named lines: GPIO0 (gpiochip0), "
        + "GPIO1 (gpiochip0), RP1_SDA (gpiochip1) (`rig devices` lists every line)")
  }

  @Test("a long list of line names is cut short with a count of the rest")
  func lineNotFoundLongList() {
    let names = (0..<58).map { "GPIO\($0)" }
    let error = GPIOFailure.lineNotFound(
      "GPIO99", chip: "gpiochip0",
      searched: [Self.chip("gpiochip0", label: "pinctrl-bcm2711", names: names)],
      directory: "/dev")
    #expect(
      error.message.hasPrefix(
        "GPIO line 'GPIO99' not found on GPIO chip 'gpiochip0'; named lines: GPIO0 (gpiochip0), "))
    #expect(
      error.message.contains("GPIO47 (gpiochip0) and 10 more (`rig devices` lists every line)"))
    #expect(!error.message.contains("GPIO48 (gpiochip0)"))
  }

  @Test("an offset past the last line says how many lines the chip has")
  func offsetOutOfRange() {
    let error = GPIOFailure.offsetOutOfRange(
      60,
      chip: Self.chip(
        "gpiochip0", label: "pinctrl-bcm2711", names: Array(repeating: nil, count: 58)))
    #expect(error.code == .configInvalid)
    #expect(error.message == "gpiochip0 [pinctrl-bcm2711] has no line 60: its lines are 0–57")
  }

  @Test("a name found on two chips asks for the chip")
  func ambiguous() {
    let error = GPIOFailure.ambiguousLine("RESET", chips: ["gpiochip0", "gpiochip2"])
    #expect(error.code == .configInvalid)
    #expect(
      error.message
        == "GPIO line 'RESET' exists on gpiochip0 and gpiochip2; name the chip too (chip: gpiochip0)"
    )
  }

  @Test("a missing chip lists the chips present with their labels and line counts")
  func chipNotFound() {
    let chips = [
      Self.chip("gpiochip0", label: "pinctrl-bcm2711", names: Array(repeating: nil, count: 58)),
      GPIOChipInfo(
        name: "gpiochip1", label: "", path: "/dev/gpiochip1", lines: [],
        problem: "permission denied"),
    ]
    let error = GPIOFailure.chipNotFound("gpiochip4", present: chips, directory: "/dev")
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message
        == "GPIO chip 'gpiochip4' not found; chips here: gpiochip0 [pinctrl-bcm2711] (58 lines), "
        + "gpiochip1 (permission denied) (a chip is named by name, path, number or label; "
        + "`rig devices` lists them)")
  }
}
