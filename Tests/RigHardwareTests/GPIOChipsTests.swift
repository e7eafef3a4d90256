// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@testable import RigHardware

/// Listing chips and locating lines on a machine without GPIO hardware (this one, CI): clean
/// empty results and messages that name what was asked for and what exists.
@Suite struct GPIOChipsTests {
  static let machineHasNoChips = GPIOChips.chipPaths(in: "/dev").isEmpty

  @Test(
    "listing the chips of a machine without any gives an empty list",
    .enabled(if: machineHasNoChips, "this machine has /dev/gpiochip* devices"))
  func listHere() {
    #expect(GPIOChips.list() == [])
  }

  @Test("listing an empty device folder gives an empty list")
  func listEmpty() throws {
    let directory = try GPIOScratchFolder()
    _ = try directory.file("ttyS0")
    #expect(GPIOChips.list(deviceDirectory: directory.path) == [])
  }

  @Test("device nodes that are not GPIO chips are listed in chip order with their problem")
  func listUnreadable() throws {
    let directory = try GPIOScratchFolder()
    for name in ["gpiochip10", "gpiochip3", "gpiochipX", "gpiomem"] { _ = try directory.file(name) }
    let chips = GPIOChips.list(deviceDirectory: directory.path)
    #expect(chips.map(\.name) == ["gpiochip3", "gpiochip10"])
    #expect(chips.map(\.path) == [directory.path + "/gpiochip3", directory.path + "/gpiochip10"])
    #expect(chips.allSatisfy { $0.problem == "not a GPIO character device" && $0.lines.isEmpty })
  }

  @Test("a missing chip is named, and the message says the machine has none")
  func missingChipNoChips() throws {
    let directory = try GPIOScratchFolder()
    let spec = GPIOLineSpec(chip: "gpiochip7", line: .offset(17))
    let error = try #require(throws: RigError.self) {
      _ = try GPIOOutputLine(spec: spec, initial: false, deviceDirectory: directory.path)
    }
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message
        == "GPIO chip 'gpiochip7' not found: this machine has no GPIO chips (no \(directory.path)/gpiochip*; "
        + "on a Raspberry Pi that means the wrong machine or a kernel without the GPIO character device)"
    )
  }

  @Test("a missing chip is named along with the chips that are there")
  func missingChipListsOthers() throws {
    let directory = try GPIOScratchFolder()
    _ = try directory.file("gpiochip0")
    let spec = GPIOLineSpec(chip: "pinctrl-rp1", line: .name("GPIO17"))
    let error = try #require(throws: RigError.self) {
      _ = try GPIOEdgeInput(spec: spec, edges: .rising, deviceDirectory: directory.path)
    }
    #expect(error.code == .hardwareUnavailable)
    #expect(
      error.message.hasPrefix(
        "GPIO chip 'pinctrl-rp1' not found; chips here: gpiochip0 (not a GPIO character device)"))
  }

  @Test("a chip path that is not a GPIO chip says so")
  func chipPathNotAChip() throws {
    let directory = try GPIOScratchFolder()
    let path = try directory.file("gpiochip0")
    let error = try #require(throws: RigError.self) {
      _ = try GPIOOutputLine(spec: GPIOLineSpec(chip: path, line: .offset(0)), initial: true)
    }
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message == "cannot open GPIO chip \(path): not a GPIO character device")
    #expect((error.cause as? CLibraryError)?.library == .libgpiod)
  }

  @Test("a line name searched on every chip of a machine without chips is reported as missing")
  func missingLineNoChips() throws {
    let directory = try GPIOScratchFolder()
    let error = try #require(throws: RigError.self) {
      _ = try GPIOChips.locate(GPIOLineSpec(line: .name("GPIO17")), deviceDirectory: directory.path)
    }
    #expect(error.code == .hardwareUnavailable)
    #expect(error.message.hasPrefix("GPIO line 'GPIO17' not found: this machine has no GPIO chips"))
  }

  @Test("a line name searched on chips that cannot be read says which were not searched")
  func missingLineUnreadableChips() throws {
    let directory = try GPIOScratchFolder()
    _ = try directory.file("gpiochip4")
    let error = try #require(throws: RigError.self) {
      _ = try GPIOChips.locate(GPIOLineSpec(line: .name("GPIO17")), deviceDirectory: directory.path)
    }
    #expect(
      error.message
        == "GPIO line 'GPIO17' not found on any GPIO chip; no line there has a name, so name the line by "
        + "its offset; not searched: gpiochip4 (not a GPIO character device)")
  }

  @Test("an offset without a chip is a configuration error")
  func offsetWithoutChip() throws {
    let error = try #require(throws: RigError.self) {
      _ = try GPIOChips.locate(GPIOLineSpec(line: .offset(17)))
    }
    #expect(error.code == .configInvalid)
    #expect(
      error.message.contains("add the chip (chip: gpiochip0) or name the line (line: GPIO17)"))
  }

  @Test(
    "a line written in a rig file is an offset when it is a number and a name otherwise",
    arguments: [
      ("17", GPIOLineSpec.Line.offset(17)), ("0", .offset(0)), ("GPIO17", .name("GPIO17")),
      ("-1", .name("-1")), ("relay 0", .name("relay 0")), ("", .name("")),
    ])
  func lineParsing(text: String, expected: GPIOLineSpec.Line) {
    #expect(GPIOLineSpec.Line(text) == expected)
    #expect(GPIOLineSpec.Line(text).description == text)
  }

  @Test("a spec describes itself as the rig file names it")
  func specDescription() {
    #expect(
      GPIOLineSpec(chip: "gpiochip0", line: .name("GPIO17")).description == "gpiochip0 line GPIO17")
    #expect(
      GPIOLineSpec(line: .name("GPIO5"), activeLow: true, drive: .openDrain).description
        == "line GPIO5 (active-low) (open-drain)")
  }
}
