// SPDX-License-Identifier: Apache-2.0
import RigCore

/// Everything a bench could use on this machine: serial ports, GPIO chips with their lines, FTDI
/// chips. What `rig devices` prints; each list that cannot be read leaves a problem instead.
public struct DeviceInventory: Sendable, Codable {
  /// The libgpiod in use and the chips it sees.
  public struct GPIO: Sendable, Codable {
    /// The libgpiod version at run time, such as `1.6.3`.
    public var libgpiod: String
    /// 1 or 2: the libgpiod API rig was built against.
    public var api: Int
    public var chips: [GPIOChipInfo]
  }

  public var serialPorts: [SerialPortInfo]
  public var gpio: GPIO
  public var ftdiDevices: [FTDIDeviceInfo]
  /// Lists that could not be read, each with why.
  public var problems: [String]

  /// Looks at this machine. Never throws: a list that cannot be read is empty, with a problem.
  public static func collect() -> DeviceInventory {
    var problems: [String] = []
    var ports: [SerialPortInfo] = []
    do { ports = try SerialPorts.list() } catch {
      problems.append("serial ports: \(message(error))")
    }
    var ftdi: [FTDIDeviceInfo] = []
    do { ftdi = try FTDIDevices.list() } catch {
      problems.append("FTDI devices: \(message(error))")
    }
    let gpio = GPIO(
      libgpiod: GPIOChips.libgpiodVersion, api: GPIOChips.libgpiodAPI, chips: GPIOChips.list())
    return DeviceInventory(serialPorts: ports, gpio: gpio, ftdiDevices: ftdi, problems: problems)
  }

  private static func message(_ error: any Error) -> String {
    (error as? RigError)?.message ?? "\(error)"
  }
}
