// SPDX-License-Identifier: Apache-2.0
import Foundation
import GPIOShim
import RigCore

/// The GPIO chips of this machine: listing them and finding the line a rig file names.
public enum GPIOChips {
  /// Where the kernel puts `gpiochipN` device nodes.
  public static let deviceDirectory = "/dev"

  /// 1 or 2: the libgpiod API rig was built against.
  public static var libgpiodAPI: Int { Int(gs_api_major()) }

  /// The libgpiod version in use at run time, such as `1.6.3` or `2.2.1`.
  public static var libgpiodVersion: String { String(cString: gs_library_version()) }

  /// Every `gpiochipN` in `directory` with its lines, in chip-number order. A chip that cannot be
  /// opened is listed with the `problem` and its fix; a machine with no chips gives [].
  public static func list(deviceDirectory directory: String = deviceDirectory) -> [GPIOChipInfo] {
    chipPaths(in: directory).map { path in
      let fallbackName = (path as NSString).lastPathComponent
      do throws(CLibraryError) {
        let chip = try GPIOChipHandle(path: path)
        let info = try chip.info()
        return GPIOChipInfo(
          name: info.name.isEmpty ? fallbackName : info.name, label: info.label, path: path,
          lines: chip.lines(count: info.lineCount))
      } catch {
        return GPIOChipInfo(
          name: fallbackName, label: "", path: path, lines: [],
          problem: GPIOFailure.chipProblem(error) ?? error.message)
      }
    }
  }

  /// Finds the chip and line `spec` names and reads the line's current state.
  ///
  /// - Throws: `RigError(.hardwareUnavailable)` for a missing chip or line (the message lists
  ///   what exists) or an inaccessible chip; `RigError(.configInvalid)` for an offset past the
  ///   chip's end, an offset without a chip, or a name that several chips have.
  public static func locate(
    _ spec: GPIOLineSpec, deviceDirectory directory: String = deviceDirectory
  ) throws -> GPIOLineLocation {
    guard let chipName = spec.chip else {
      switch spec.line {
      case .offset(let offset): throw GPIOFailure.offsetNeedsChip(offset)
      case .name(let name): return try locate(lineNamed: name, directory: directory)
      }
    }
    let chip = try openChip(chipName, directory: directory)
    let info = try describe(chip)
    let offset: Int
    switch spec.line {
    case .offset(let wanted):
      guard wanted >= 0, wanted < info.lines.count else {
        throw GPIOFailure.offsetOutOfRange(wanted, chip: info)
      }
      offset = wanted
    case .name(let name):
      guard let found = try lookUp(name, on: chip) else {
        throw GPIOFailure.lineNotFound(name, chip: chipName, searched: [info], directory: directory)
      }
      offset = found
    }
    return try location(chip, info, offset)
  }

  /// `gpiochipN` device nodes in `directory`, by chip number.
  static func chipPaths(in directory: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    let numbered = names.compactMap { name -> (Int, String)? in
      guard name.hasPrefix("gpiochip"), let number = Int(name.dropFirst("gpiochip".count)) else {
        return nil
      }
      return (number, name)
    }
    return numbered.sorted { $0.0 < $1.0 }.map { directory + "/" + $0.1 }
  }

  /// Opens a chip named by path, name, number or label.
  private static func openChip(_ requested: String, directory: String) throws -> GPIOChipHandle {
    var path: String?
    if requested.contains("/") {
      path = requested
    } else if FileManager.default.fileExists(atPath: directory + "/" + requested) {
      path = directory + "/" + requested
    } else if let number = Int(requested), number >= 0 {
      path = directory + "/gpiochip\(number)"
    }
    if let path {
      do throws(CLibraryError) {
        return try GPIOChipHandle(path: path)
      } catch {
        if error.code != ENOENT { throw GPIOFailure.chipUnusable(path, error) }
        throw GPIOFailure.chipNotFound(
          requested, present: list(deviceDirectory: directory), directory: directory)
      }
    }
    let present = list(deviceDirectory: directory)
    guard let byLabel = present.first(where: { $0.label == requested && $0.problem == nil }) else {
      throw GPIOFailure.chipNotFound(requested, present: present, directory: directory)
    }
    do throws(CLibraryError) {
      return try GPIOChipHandle(path: byLabel.path)
    } catch {
      throw GPIOFailure.chipUnusable(byLabel.path, error)
    }
  }

  private static func describe(_ chip: GPIOChipHandle) throws -> GPIOChipInfo {
    do throws(CLibraryError) {
      let info = try chip.info()
      return GPIOChipInfo(
        name: info.name, label: info.label, path: chip.path,
        lines: chip.lines(count: info.lineCount))
    } catch {
      throw GPIOFailure.chipUnusable(chip.path, error)
    }
  }

  private static func lookUp(_ name: String, on chip: GPIOChipHandle) throws -> Int? {
    do throws(CLibraryError) {
      return try chip.findLine(named: name)
    } catch {
      throw GPIOFailure.chipUnusable(chip.path, error)
    }
  }

  private static func location(_ chip: GPIOChipHandle, _ info: GPIOChipInfo, _ offset: Int) throws
    -> GPIOLineLocation
  {
    do throws(CLibraryError) {
      return GPIOLineLocation(
        chipName: info.name, chipLabel: info.label, chipPath: chip.path, offset: offset,
        line: try chip.lineInfo(offset))
    } catch {
      throw GPIOFailure.chipUnusable(chip.path, error)
    }
  }

  /// Searches every chip for a line name, as a Pi 4 and a Pi 5 put `GPIO17` on different chips.
  private static func locate(lineNamed name: String, directory: String) throws -> GPIOLineLocation {
    var searched: [GPIOChipInfo] = []
    var matches: [(GPIOChipHandle, GPIOChipInfo, Int)] = []
    for path in chipPaths(in: directory) {
      let chip: GPIOChipHandle
      do throws(CLibraryError) {
        chip = try GPIOChipHandle(path: path)
      } catch {
        let problem = GPIOFailure.chipProblem(error) ?? error.message
        searched.append(
          GPIOChipInfo(
            name: (path as NSString).lastPathComponent, label: "", path: path, lines: [],
            problem: problem))
        continue
      }
      let info = try describe(chip)
      searched.append(info)
      if let offset = try lookUp(name, on: chip) { matches.append((chip, info, offset)) }
    }
    guard let first = matches.first else {
      throw GPIOFailure.lineNotFound(name, chip: nil, searched: searched, directory: directory)
    }
    guard matches.count == 1 else {
      throw GPIOFailure.ambiguousLine(name, chips: matches.map(\.1.name))
    }
    return try location(first.0, first.1, first.2)
  }
}
