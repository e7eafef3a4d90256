// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigSystem

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a buffer through a non-blocking write function until done or the deadline passes.
///
/// A full output buffer (EAGAIN, or 0 bytes taken) is waited out on the port's reader thread,
/// which watches for POLLOUT while a writer waits: the task suspends, the cooperative pool is
/// never blocked, and the write resumes the moment the port takes bytes again.
enum SerialWriteLoop {
  /// Bytes taken, or -1 with errno set.
  typealias WriteOnce = (UnsafeRawBufferPointer) -> Int

  static func writeAll(
    _ bytes: [UInt8], portName: String, deadline: ContinuousClock.Instant, reader: DescriptorStream,
    writeOnce: WriteOnce
  ) async throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { writeOnce(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
      if n > 0 {
        offset += n
        continue
      }
      if n < 0 {
        let error = SystemError.last("write", portName)
        if !error.isTransient {
          throw RigError(
            .hardwareFault,
            "serial port \(portName): "
              + (error.isDeviceGone
                ? "it disappeared (write: \(error.reason))" : "write failed: \(error.reason)"))
        }
      }
      if await reader.writable(until: deadline) { continue }
      try Task.checkCancellation()
      if ContinuousClock.now >= deadline {
        throw RigError(
          .timedOut,
          "serial port \(portName): write of \(bytes.count) bytes timed out after \(offset) "
            + "(is flow control holding it? check flow: in the rig file)")
      }
      throw RigError(.hardwareFault, "serial port \(portName): closed while writing")
    }
  }
}
