// SPDX-License-Identifier: Apache-2.0
import CSerialPort
import Logging
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// Opens the serial link a rig file describes, choosing the implementation for the tty:
/// libserialport for real ports, termios for ttys libserialport cannot open (pseudo-terminals
/// from the simulated bench, socat or ser2net). The choice is logged, naming the device and why.
public enum SerialLinkFactory {
  /// Opens `settings`' port; with a non-zero `reconnect` the link survives the port disappearing
  /// and coming back within that time. `role` names the port in the log (`console`).
  public static func open(
    _ settings: HardwareSettings.SerialPort, role: String = "console", logger: Logger
  ) throws -> any SerialLink {
    let first = try openOnce(settings, role: role, logger: logger)
    guard settings.reconnect > .zero else { return first }
    return ReconnectingSerialLink(
      first: first, name: settings.address.description, reconnect: settings.reconnect,
      logger: logger
    ) {
      try openOnce(settings, role: role, logger: logger)
    }
  }

  /// Opens the port once, without reconnection.
  static func openOnce(
    _ settings: HardwareSettings.SerialPort, role: String, logger: Logger
  ) throws -> any SerialLink {
    let path: String
    switch settings.address {
    case .path(let p):
      path = p
    case .usb(let match):
      let port = try SerialPorts.find(match)
      path = port.byID.first ?? port.path
      logger.debug("\(role): USB \(match) is \(port.summary)")
    }
    let choice = try choose(path: path)
    let link: any SerialLink
    switch choice.backend {
    case .termios:
      link = try TermiosSerialLink(path: path, baud: settings.baud, flow: settings.flow)
      logger.info("\(role): \(path) → \(choice)")
    case .libserialport:
      do {
        link = try LibSerialPortLink(path: path, baud: settings.baud, flow: settings.flow)
        logger.info("\(role): \(path) → \(choice)")
      } catch let error as RigError where SerialFailure.isNotATerminal(error, port: path) {
        // A tty without modem-control lines (some USB gadgets, virtual UARTs) fails libserialport's
        // TIOCMGET; plain termios needs none.
        link = try TermiosSerialLink(path: path, baud: settings.baud, flow: settings.flow)
        let fallback = SerialLinkChoice(
          backend: .termios, device: choice.device,
          reason: "libserialport could not open it: \(error.message)")
        logger.info("\(role): \(path) → \(fallback)")
      }
    }
    return link
  }

  /// Which implementation serves `path`. Throws when nothing is there.
  public static func choose(path: String) throws -> SerialLinkChoice {
    guard let device = SerialPorts.resolved(path) else {
      let code = errno
      throw code == ENOENT || code == ENOTDIR
        ? SerialFailure.notFound(path) : SerialFailure.openFailed(path, errno: code)
    }
    if device.hasPrefix("/dev/pts/") || device == "/dev/ptmx" {
      return SerialLinkChoice(
        backend: .termios, device: device,
        reason: "a pseudo-terminal, which libserialport cannot open")
    }
    var port: OpaquePointer?
    do {
      // libserialport looks the name up in sysfs and does not follow symlinks: give it the node.
      try LibSerialPortCall.check("sp_get_port_by_name") { sp_get_port_by_name(device, &port) }
      sp_free_port(port)
      return SerialLinkChoice(
        backend: .libserialport, device: device, reason: "a serial port the kernel lists")
    } catch {
      return SerialLinkChoice(
        backend: .termios, device: device,
        reason: "libserialport cannot look it up in /sys/class/tty: \(error.error.message)")
    }
  }
}
