// SPDX-License-Identifier: Apache-2.0
import CSerialPort

#if canImport(Glibc)
  import Glibc
#endif

/// A failed libserialport call: the library's error and the OS error behind it.
struct LibSerialPortFailure: Error {
  var error: CLibraryError
  /// errno as it was right after the call (meaningful for SP_ERR_FAIL and SP_ERR_ARG).
  var osError: Int32
}

/// The one place libserialport return codes are checked in the serial links.
enum LibSerialPortCall {
  /// Runs `call` and returns its non-negative result, or throws with errno read before anything
  /// else can change it and `sp_last_error_message()` read at once (it describes only the
  /// latest failure).
  @discardableResult
  static func check(_ operation: String, _ call: () -> sp_return) throws(LibSerialPortFailure)
    -> Int32
  {
    let result = call()
    let osError = errno
    do {
      return try CLibraryError.checkSerialPort(result, operation)
    } catch {
      throw LibSerialPortFailure(error: error, osError: osError)
    }
  }
}
