// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// The gpio-sim chips the guest's /init made (Scripts/qemu/init), and the simulator's side of
/// their lines in sysfs: the level each line is driven to, and the pull that plays an outside
/// circuit driving an input.
struct GPIOSimulator {
  /// One gpio-sim bank: a GPIO chip of its own.
  struct Bank {
    /// The configfs directory name, which /init also writes as the chip's label.
    var name: String
    /// `gpiochip0`.
    var chipName: String
    /// `/sys/devices/platform/gpio-sim.0/gpiochip0`.
    var sysfsDirectory: String
  }

  /// The configfs directory of the simulated device.
  static let configDirectory = "/sys/kernel/config/gpio-sim/rig"

  /// The 32-line bank named like a Raspberry Pi header (`GPIO17`, `GPIO22`, `GPIO23`, `GPIO27`).
  var header: Bank
  /// The 8-line bank with lines `relay0`–`relay3`.
  var relays: Bank

  /// Reads the chip names the kernel gave the banks.
  ///
  /// - Throws: `CheckFailure` naming the configfs file that is missing, when /init did not make
  ///   the device (a kernel without gpio-sim or configfs, or not running in the guest).
  static func discover() throws -> GPIOSimulator {
    let device = try attribute("\(configDirectory)/dev_name")
    func bank(_ name: String) throws -> Bank {
      let chip = try attribute("\(configDirectory)/\(name)/chip_name")
      return Bank(
        name: name, chipName: chip, sysfsDirectory: "/sys/devices/platform/\(device)/\(chip)")
    }
    return GPIOSimulator(header: try bank("rig-header"), relays: try bank("rig-relays"))
  }

  /// The physical level the simulator sees on `offset`: what rig drives on an output, the pull
  /// on an input.
  func level(_ bank: Bank, _ offset: Int) throws -> Int {
    let text = try Self.attribute("\(bank.sysfsDirectory)/sim_gpio\(offset)/value")
    guard let value = Int(text) else {
      throw CheckFailure("sim_gpio\(offset)/value of \(bank.chipName) reads '\(text)'")
    }
    return value
  }

  /// Pulls `offset` up or down, as a circuit outside the chip would: an input sees an edge.
  func pull(_ bank: Bank, _ offset: Int, up: Bool) throws {
    let path = "\(bank.sysfsDirectory)/sim_gpio\(offset)/pull"
    do {
      try (up ? "pull-up" : "pull-down").write(toFile: path, atomically: false, encoding: .utf8)
    } catch {
      throw CheckFailure("cannot write \(path): \(error)")
    }
  }

  /// A configfs or sysfs attribute, without its trailing newline.
  static func attribute(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
      throw CheckFailure("cannot read \(path): \(SystemError.last("open", path).reason)")
    }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 4096)
    let n = read(fd, &bytes, bytes.count)
    guard n >= 0 else {
      throw CheckFailure("cannot read \(path): \(SystemError.last("read", path).reason)")
    }
    return String(decoding: bytes[..<n], as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
