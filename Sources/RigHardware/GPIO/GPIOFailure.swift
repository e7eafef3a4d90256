// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// The messages for GPIO problems: what was asked for, what exists, and what to do about it.
/// Pure functions of what the kernel reported, so every message is unit-tested.
enum GPIOFailure {
  /// How many line names a "not found" message lists before pointing at `rig devices`.
  static let namesListed = 48

  static let permissionHint =
    "add your user to the 'gpio' group (sudo usermod -aG gpio $USER, then log in again), "
    + "or check the udev rules that give /dev/gpiochip* to that group"

  /// "line GPIO17 on gpiochip0 is busy (held by <consumer>)".
  static func busyMessage(lineOnChip: String, consumer: String?) -> String {
    "\(lineOnChip) is busy (held by \(consumer ?? "an unnamed consumer"))"
  }

  /// A line someone else holds.
  static func busy(_ location: GPIOLineLocation, consumer: String?, cause: CLibraryError)
    -> RigError
  {
    RigError(
      .hardwareUnavailable, busyMessage(lineOnChip: location.lineOnChip, consumer: consumer),
      cause: cause)
  }

  /// One chip for a message: `gpiochip0 [pinctrl-bcm2711] (58 lines)`.
  static func summary(_ chip: GPIOChipInfo) -> String {
    if let problem = chip.problem { return "\(chip.name) (\(problem))" }
    return "\(chip.name) [\(chip.label)] (\(chip.lines.count) lines)"
  }

  static func noChipsHere(_ directory: String) -> String {
    "this machine has no GPIO chips (no \(directory)/gpiochip*; on a Raspberry Pi that means the "
      + "wrong machine or a kernel without the GPIO character device)"
  }

  /// A chip that is not there, listing the chips that are.
  static func chipNotFound(_ requested: String, present: [GPIOChipInfo], directory: String)
    -> RigError
  {
    guard !present.isEmpty else {
      return RigError(
        .hardwareUnavailable, "GPIO chip '\(requested)' not found: \(noChipsHere(directory))")
    }
    let chips = present.map(summary).joined(separator: ", ")
    return RigError(
      .hardwareUnavailable,
      "GPIO chip '\(requested)' not found; chips here: \(chips) (a chip is named by name, path, "
        + "number or label; `rig devices` lists them)")
  }

  /// A line name that no chip has, listing the names that exist.
  static func lineNotFound(
    _ name: String, chip: String?, searched: [GPIOChipInfo], directory: String
  )
    -> RigError
  {
    let place = chip.map { "on GPIO chip '\($0)'" } ?? "on any GPIO chip"
    guard !searched.isEmpty else {
      return RigError(
        .hardwareUnavailable, "GPIO line '\(name)' not found: \(noChipsHere(directory))")
    }
    var names: [String] = []
    for info in searched {
      names += info.namedLines.compactMap { line in line.name.map { "\($0) (\(info.name))" } }
    }
    var message = "GPIO line '\(name)' not found \(place)"
    if names.isEmpty {
      message += "; no line there has a name, so name the line by its offset"
    } else {
      let shown = names.prefix(namesListed).joined(separator: ", ")
      let more = names.count > namesListed ? " and \(names.count - namesListed) more" : ""
      message += "; named lines: \(shown)\(more) (`rig devices` lists every line)"
    }
    let unreadable = searched.filter { $0.problem != nil }
    if !unreadable.isEmpty {
      message += "; not searched: " + unreadable.map(summary).joined(separator: ", ")
    }
    return RigError(.hardwareUnavailable, message)
  }

  /// An offset past the chip's last line.
  static func offsetOutOfRange(_ offset: Int, chip: GPIOChipInfo) -> RigError {
    let range = chip.lines.isEmpty ? "it has no lines" : "its lines are 0–\(chip.lines.count - 1)"
    return RigError(.configInvalid, "\(chip.name) [\(chip.label)] has no line \(offset): \(range)")
  }

  /// The same name on several chips: the rig file has to say which.
  static func ambiguousLine(_ name: String, chips: [String]) -> RigError {
    RigError(
      .configInvalid,
      "GPIO line '\(name)' exists on \(chips.joined(separator: " and ")); name the chip too "
        + "(chip: \(chips[0]))")
  }

  static func offsetNeedsChip(_ offset: Int) -> RigError {
    RigError(
      .configInvalid,
      "GPIO line \(offset) is an offset, which means nothing without a chip; add the chip "
        + "(chip: gpiochip0) or name the line (line: GPIO\(offset))")
  }

  /// Why a chip's device node could not be opened, with the fix; nil for ENOENT (not found),
  /// which the caller reports with the list of chips.
  static func chipProblem(_ error: CLibraryError) -> String? {
    switch error.code {
    case ENOENT: nil
    case EACCES, EPERM: "permission denied: \(permissionHint)"
    case ENOTTY, ENODEV, EINVAL: "not a GPIO character device"
    default: error.message
    }
  }

  /// A chip that exists but cannot be opened.
  static func chipUnusable(_ path: String, _ error: CLibraryError) -> RigError {
    let problem = chipProblem(error) ?? error.message
    let code: RigError.Code =
      [EACCES, EPERM, ENOTTY, ENODEV, EINVAL].contains(error.code)
      ? .hardwareUnavailable : .hardwareFault
    return RigError(code, "cannot open GPIO chip \(path): \(problem)", cause: error)
  }

  /// A line request that failed for a reason other than EBUSY.
  static func requestFailed(
    _ location: GPIOLineLocation, as purpose: String, _ error: CLibraryError
  )
    -> RigError
  {
    let what = "cannot request \(location.displayName) as \(purpose)"
    switch error.code {
    case EACCES, EPERM:
      return RigError(
        .hardwareUnavailable, "\(what): permission denied (\(permissionHint))", cause: error)
    case ENOENT, ENODEV:
      return RigError(
        .hardwareUnavailable,
        "\(what): \(location.chipPath) has gone (was the GPIO expander unplugged?)",
        cause: error)
    case EINVAL, EOPNOTSUPP:
      return RigError(
        .hardwareFault,
        "\(what): the chip refused these settings (\(error.message)); not every chip supports "
          + "open-drain, open-source or edge detection on every line",
        cause: error)
    default:
      return RigError(.hardwareFault, "\(what): \(error.message)", cause: error)
    }
  }

  /// A set, get or edge read that failed on a line already requested.
  static func ioFailed(_ name: String, _ operation: String, _ error: CLibraryError) -> RigError {
    RigError(.hardwareFault, "GPIO \(name): cannot \(operation): \(error.message)", cause: error)
  }
}
