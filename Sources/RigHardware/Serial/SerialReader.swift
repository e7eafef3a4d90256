// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

/// The reads of a serial link: RigSystem's descriptor reader on the port's descriptor, each chunk
/// stamped the moment the read returns it, so arrival times carry no polling quantum.
///
/// A port that hangs up, reports an error or fails a read (USB unplug: EIO, POLLHUP, POLLERR)
/// ends the stream with an error naming the port; reads drain what arrived before it.
enum SerialReader {
  /// Starts reading `fd`; `portName` is what errors call the port.
  static func start(
    portName: String, fd: Int32, read: @escaping ReadingHandler.ReadOnce = ReadingHandler.posixRead
  ) throws -> DescriptorStream {
    try DescriptorStream(
      fd: fd, name: "rig serial \(portName)", endOfFile: .isEmptyRead, read: read,
      describe: { end in failure(portName, end) })
  }

  /// What the consumer is told when the port's stream ends.
  static func failure(_ portName: String, _ end: ReadingHandler.End) -> RigError {
    let why: String
    switch end {
    case .hungUp, .endOfFile: why = "it disappeared (the device hung up)"
    case .descriptorClosed: why = "the port's descriptor was closed"
    case .failed(let error) where error.call == "poll": why = "poll failed: \(error.reason)"
    case .failed(let error) where error.isDeviceGone: why = "it disappeared (read: \(error.reason))"
    case .failed(let error): why = "read failed: \(error.reason)"
    }
    return RigError(
      .hardwareFault,
      "serial port \(portName): \(why) (unplugged, or the board reset its USB? `rig devices` "
        + "lists the ports present)")
  }
}
