// SPDX-License-Identifier: Apache-2.0
import CSerialPort
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// A serial link over libserialport: USB CDC ports (`/dev/ttyACM*`), USB UART bridges
/// (`/dev/ttyUSB*`), on-board UARTs. 8N1 at the configured baud and flow control.
///
/// Reads come from a RigSystem reader thread blocked in `poll(2)` on the port's descriptor
/// (`sp_get_port_handle`), so each chunk is stamped on arrival. One task may read while another
/// writes, as libserialport allows. Pseudo-terminals need `TermiosSerialLink` instead
/// (`SerialLinkFactory` chooses).
public final class LibSerialPortLink: SerialLink, @unchecked Sendable {
  // @unchecked: `port` is fixed after init; the reader thread only reads through it, the one
  // writer only writes, and `close()` frees it once, after the reader has stopped.
  public let name: String
  private let port: OpaquePointer
  private let reader: DescriptorStream
  private let closed = Locked(false)

  /// Opens the port at `path` (a device node or a `/dev/serial/by-id` link).
  public init(path: String, baud: Int, flow: HardwareSettings.FlowControl = .none) throws {
    name = path
    var found: OpaquePointer?
    // libserialport looks the name up in sysfs and does not follow symlinks (by-id paths).
    let node = SerialPorts.resolved(path) ?? path
    do {
      try LibSerialPortCall.check("sp_get_port_by_name") { sp_get_port_by_name(node, &found) }
    } catch {
      // The lookup fails with ENOENT for a missing node; anything else is a node that is not a
      // port libserialport knows.
      throw error.osError == ENOENT || SerialPorts.resolved(path) == nil
        ? SerialFailure.notFound(path)
        : RigError(
          .hardwareUnavailable,
          "serial port \(path): libserialport does not know it (\(error.error.message))",
          cause: error.error)
    }
    guard let port = found else { throw SerialFailure.notFound(path) }
    do {
      try LibSerialPortCall.check("sp_open") { sp_open(port, SP_MODE_READ_WRITE) }
    } catch {
      sp_free_port(port)
      throw SerialFailure.openFailed(path, errno: error.osError)
    }
    do {
      try Self.configure(port, baud: baud, flow: flow, path: path)
      var fd: Int32 = -1
      try LibSerialPortCall.check("sp_get_port_handle") { sp_get_port_handle(port, &fd) }
      // On Linux sp_nonblocking_read is read(2) on this descriptor; the reader reads it directly.
      reader = try SerialReader.start(portName: path, fd: fd)
    } catch {
      sp_close(port)
      sp_free_port(port)
      if let failure = error as? LibSerialPortFailure {
        throw SerialFailure.openFailed(path, errno: failure.osError, operation: "configure")
      }
      throw error
    }
    self.port = port
  }

  /// Opens the one USB serial port `match` names, by its `/dev/serial/by-id` name when udev made
  /// one (the name survives re-enumeration), else by its device node.
  public convenience init(
    matching match: HardwareSettings.USBMatch, baud: Int, flow: HardwareSettings.FlowControl = .none
  ) throws {
    let port = try SerialPorts.find(match)
    try self.init(path: port.byID.first ?? port.path, baud: baud, flow: flow)
  }

  deinit {
    shutdown()
  }

  private static func configure(
    _ port: OpaquePointer, baud: Int, flow: HardwareSettings.FlowControl, path: String
  ) throws {
    do {
      try LibSerialPortCall.check("sp_set_baudrate") {
        sp_set_baudrate(port, Int32(clamping: baud))
      }
    } catch {
      throw RigError(
        .configInvalid, "serial port \(path): baud rate \(baud) refused (\(error.error.message))",
        cause: error.error)
    }
    try LibSerialPortCall.check("sp_set_bits") { sp_set_bits(port, 8) }
    try LibSerialPortCall.check("sp_set_parity") { sp_set_parity(port, SP_PARITY_NONE) }
    try LibSerialPortCall.check("sp_set_stopbits") { sp_set_stopbits(port, 1) }
    let mode: sp_flowcontrol =
      switch flow {
      case .none: SP_FLOWCONTROL_NONE
      case .rtscts: SP_FLOWCONTROL_RTSCTS
      case .xonxoff: SP_FLOWCONTROL_XONXOFF
      }
    try LibSerialPortCall.check("sp_set_flowcontrol") { sp_set_flowcontrol(port, mode) }
  }

  public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) async throws {
    let port = self.port
    try await SerialWriteLoop.writeAll(bytes, portName: name, deadline: deadline, reader: reader) {
      buffer in
      let n = sp_nonblocking_write(port, buffer.baseAddress, buffer.count).rawValue
      return n >= 0 ? Int(n) : -1
    }
  }

  public func read(until deadline: ContinuousClock.Instant) async throws -> SerialChunk? {
    try await reader.next(until: deadline)
  }

  public func discardInput() {
    sp_flush(port, SP_BUF_INPUT)
    reader.discard()
  }

  public func close() async {
    shutdown()
  }

  private func shutdown() {
    let first = closed.withLock { c -> Bool in
      defer { c = true }
      return !c
    }
    guard first else { return }
    reader.stop()
    sp_close(port)
    sp_free_port(port)
  }
}
