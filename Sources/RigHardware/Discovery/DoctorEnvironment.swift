// SPDX-License-Identifier: Apache-2.0
import Foundation
import Logging
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// What `RigDoctor` looks at: the user, groups, device nodes and the hardware lists. The real
/// machine in `rig doctor`, a fake in tests.
protocol DoctorEnvironment: Sendable {
  var isRoot: Bool { get }
  var userName: String { get }
  func groupExists(_ group: String) -> Bool
  /// Whether this process has the group now.
  func inSession(_ group: String) -> Bool
  /// Whether /etc/group lists the user in the group (perhaps since after this login).
  func isConfiguredMember(_ group: String) -> Bool
  /// The installed copies of rig's udev rules file.
  func installedUdevRules() -> [String]
  func node(_ path: String) -> DeviceNode
  func serialPorts() throws -> [SerialPortInfo]
  func locate(_ line: HardwareSettings.GPIOLine) throws -> GPIOLineLocation
  func ftdiDevices() throws -> [FTDIDeviceInfo]
  /// The program's path when it is found and executable.
  func program(_ name: String) -> String?
  /// Opens a serial port (only the camera emulator's, for its handshake).
  func openSerial(_ port: HardwareSettings.SerialPort) throws -> any SerialLink
  /// How files the rig file names (the flashloader) are read.
  var files: any FileAccess { get }
}

/// What is at a device path.
enum DeviceNode: Equatable {
  case missing
  /// Something that is not a character device (a file, a folder).
  case notDevice(resolved: String)
  /// A character device no terminal driver owns (`/dev/null`, `/dev/zero`): not a serial port.
  case notTerminal(resolved: String)
  case device(resolved: String, readWrite: Bool, group: String?)
}

/// This machine.
struct SystemDoctorEnvironment: DoctorEnvironment {
  static let udevRuleFolders = [
    "/etc/udev/rules.d", "/run/udev/rules.d", "/usr/lib/udev/rules.d", "/lib/udev/rules.d",
  ]
  static let udevRuleName = "99-rig.rules"

  /// Read once: the kernel's tty drivers do not change while rig runs.
  static let terminalDrivers = TerminalDrivers.load()

  var isRoot: Bool { geteuid() == 0 }

  var files: any FileAccess { LocalFileAccess() }

  var userName: String {
    guard let entry = getpwuid(geteuid()) else { return "uid \(geteuid())" }
    return String(cString: entry.pointee.pw_name)
  }

  func groupExists(_ group: String) -> Bool { getgrnam(group) != nil }

  func inSession(_ group: String) -> Bool {
    guard let entry = getgrnam(group) else { return false }
    let gid = entry.pointee.gr_gid
    if getegid() == gid { return true }
    let count = getgroups(0, nil)
    guard count > 0 else { return false }
    var groups = [gid_t](repeating: 0, count: Int(count))
    let n = getgroups(count, &groups)
    return groups.prefix(Int(max(0, n))).contains(gid)
  }

  func isConfiguredMember(_ group: String) -> Bool {
    guard let entry = getgrnam(group) else { return false }
    let gid = entry.pointee.gr_gid
    if let user = getpwnam(userName), user.pointee.pw_gid == gid { return true }
    var member = entry.pointee.gr_mem
    while let name = member?.pointee {
      if String(cString: name) == userName { return true }
      member = member?.successor()
    }
    return false
  }

  func installedUdevRules() -> [String] {
    Self.udevRuleFolders.map { "\($0)/\(Self.udevRuleName)" }.filter {
      FileManager.default.fileExists(atPath: $0)
    }
  }

  func node(_ path: String) -> DeviceNode {
    guard let resolved = SerialPorts.resolved(path) else { return .missing }
    var info = stat()
    guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else {
      return .notDevice(resolved: resolved)
    }
    if let drivers = Self.terminalDrivers, !drivers.isTerminal(device: UInt64(info.st_rdev)) {
      return .notTerminal(resolved: resolved)
    }
    let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) }
    return .device(resolved: resolved, readWrite: access(resolved, R_OK | W_OK) == 0, group: group)
  }

  func serialPorts() throws -> [SerialPortInfo] { try SerialPorts.list() }

  func locate(_ line: HardwareSettings.GPIOLine) throws -> GPIOLineLocation {
    try GPIOChips.locate(SystemDevices.spec(line))
  }

  func ftdiDevices() throws -> [FTDIDeviceInfo] { try FTDIDevices.list() }

  func program(_ name: String) -> String? {
    if name.contains("/") { return ProgramSearch.isExecutable(name) ? name : nil }
    return ProgramSearch.search(name)
  }

  func openSerial(_ port: HardwareSettings.SerialPort) throws -> any SerialLink {
    // Once, without reconnecting: a port that vanishes during the check is a finding.
    try SerialLinkFactory.openOnce(port, role: RigDoctor.cameraRole, logger: Self.quiet)
  }

  /// The doctor prints its own lines; the serial layer's log would only repeat them.
  private static let quiet = Logger(label: "rig.doctor") { _ in SwiftLogNoOpLogHandler() }
}
