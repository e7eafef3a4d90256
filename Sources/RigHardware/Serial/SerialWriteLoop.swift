// SPDX-License-Identifier: Apache-2.0
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a buffer through a non-blocking write function until done or the deadline passes.
///
/// A full output buffer (EAGAIN, or 0 bytes taken) is waited out in 1 ms steps on the task, so
/// the cooperative pool is never blocked; writes are rarely that far ahead of the wire.
enum SerialWriteLoop {
  /// Bytes taken, or -1 with errno set.
  typealias WriteOnce = (UnsafeRawBufferPointer) -> Int

  static func writeAll(
    _ bytes: [UInt8], portName: String, deadline: ContinuousClock.Instant, writeOnce: WriteOnce
  ) async throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { writeOnce(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
      if n > 0 {
        offset += n
        continue
      }
      let code = errno
      if n < 0 && code != EAGAIN && code != EINTR {
        let gone = code == EIO || code == ENODEV || code == ENXIO
        throw RigError(
          .hardwareFault,
          "serial port \(portName): "
            + (gone
              ? "it disappeared (write: \(String(cString: strerror(code))))"
              : "write failed: \(String(cString: strerror(code)))"))
      }
      if ContinuousClock.now >= deadline {
        throw RigError(
          .timedOut,
          "serial port \(portName): write of \(bytes.count) bytes timed out after \(offset) "
            + "(is flow control holding it? check flow: in the rig file)")
      }
      try await Task.sleep(for: .milliseconds(1))
    }
  }
}
