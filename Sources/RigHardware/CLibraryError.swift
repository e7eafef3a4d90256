// SPDX-License-Identifier: Apache-2.0
import CFTDI
import CSerialPort
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// A failed call into a C library: which library, which call, its code and what it said.
///
/// Only the `check` functions below make these, right after the call, because errno,
/// `sp_last_error_message()` and `ftdi_get_error_string()` describe only the latest failure.
/// The GPIO, FTDI and serial backends turn them into `RigError`s that say what to check.
public struct CLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The C library that failed.
  public enum Library: String, Sendable {
    case libgpiod, libftdi1, libserialport
  }

  public var library: Library
  /// The C function that failed, such as `ftdi_usb_open_desc_index`.
  public var operation: String
  /// errno for libgpiod; the function's negative return code for libftdi1 and libserialport.
  public var code: Int32
  /// What the library or the C runtime said: "device not found", "Device or resource busy".
  public var message: String

  /// Makes an error from its parts; the `check` functions are the usual way.
  public init(library: Library, operation: String, code: Int32, message: String) {
    self.library = library
    self.operation = operation
    self.code = code
    self.message = message
  }

  public var description: String {
    switch library {
    case .libgpiod: "\(operation): \(message) (errno \(code))"
    case .libftdi1, .libserialport: "\(operation) returned \(code): \(message)"
    }
  }
}

extension CLibraryError {
  /// Returns `result` unless it is negative, in which case it throws what errno says.
  /// For the libgpiod shim and plain POSIX calls, which report failure as -1 with errno set.
  @discardableResult
  static func check(
    _ result: Int32, _ operation: String, library: Library = .libgpiod
  ) throws(CLibraryError) -> Int32 {
    guard result < 0 else { return result }
    throw fromErrno(errno, operation, library: library)
  }

  /// Returns the pointer, or throws what errno says when it is nil (libgpiod shim constructors).
  static func check<Pointer>(
    _ pointer: Pointer?, _ operation: String, library: Library = .libgpiod
  ) throws(CLibraryError) -> Pointer {
    guard let pointer else { throw fromErrno(errno, operation, library: library) }
    return pointer
  }

  /// Returns a libftdi1 result unless it is negative, in which case it throws with the context's
  /// error string (libftdi1 codes mean different things for each function).
  @discardableResult
  static func checkFTDI(
    _ result: Int32, _ context: UnsafeMutablePointer<ftdi_context>?, _ operation: String
  ) throws(CLibraryError) -> Int32 {
    guard result < 0 else { return result }
    var message = "error \(result)"
    if let context, let text = ftdi_get_error_string(context) {
      message = String(cString: text)
    }
    throw CLibraryError(library: .libftdi1, operation: operation, code: result, message: message)
  }

  /// Returns a libserialport result unless it is an `SP_ERR_*` code, in which case it throws with
  /// `sp_last_error_message()` for `SP_ERR_FAIL` (an OS error) and the code's meaning otherwise.
  @discardableResult
  static func checkSerialPort(_ result: sp_return, _ operation: String) throws(CLibraryError)
    -> Int32
  {
    let code = result.rawValue
    guard code < 0 else { return code }
    let message: String
    switch result {
    case SP_ERR_FAIL, SP_ERR_ARG:
      // For SP_ERR_ARG too the library leaves errno's text, e.g. "No such file or directory"
      // for a port name with no sysfs entry.
      if let text = sp_last_error_message() {
        message = String(cString: text)
        sp_free_error_message(text)
      } else {
        message = result == SP_ERR_ARG ? "invalid argument" : "operating system error"
      }
    case SP_ERR_MEM: message = "out of memory"
    case SP_ERR_SUPP: message = "not supported by this port or system"
    default: message = "error \(code)"
    }
    throw CLibraryError(library: .libserialport, operation: operation, code: code, message: message)
  }

  /// The error for an errno value already read.
  static func fromErrno(_ code: Int32, _ operation: String, library: Library = .libgpiod)
    -> CLibraryError
  {
    CLibraryError(
      library: library, operation: operation, code: code, message: ErrorText.posix(code))
  }
}
