// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The words a person reads for an error, whatever layer threw it.
///
/// Foundation's errors print as `Error Domain=NSCocoaErrorDomain Code=513 "(null)" UserInfo={…}`,
/// which tells a user nothing; the C library's own sentence for the errno underneath ("Permission
/// denied", "No space left on device") is what they can act on. Every message that quotes an
/// error goes through `describe`, and every errno becomes words through `posix`.
public enum ErrorText {
  /// The C library's sentence for `code` (an errno value): "No such file or directory".
  public static func posix(_ code: Int32) -> String {
    String(cString: strerror(code))
  }

  /// A short, plain description of `error`: a `RigError`'s message, the errno sentence under a
  /// Foundation file error, or the error's own description when it is neither.
  public static func describe(_ error: any Error) -> String {
    if let rig = error as? RigError { return rig.description }
    if let posix = error as? POSIXError { return self.posix(posix.code.rawValue) }
    if let code = posixCode(of: error) { return posix(code) }
    if let printable = error as? CustomStringConvertible, !(error is NSError) {
      return printable.description
    }
    let ns = error as NSError
    if let cocoa = cocoaSentence(ns) { return cocoa }
    return "\(ns.domain) error \(ns.code)"
  }

  /// The errno a Foundation error carries, directly or as its underlying error.
  public static func posixCode(of error: any Error) -> Int32? {
    if let posix = error as? POSIXError { return posix.code.rawValue }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError {
      return posixCode(of: underlying)
    }
    return nil
  }

  /// Foundation's file errors that come without an errno, in words.
  private static func cocoaSentence(_ error: NSError) -> String? {
    guard error.domain == NSCocoaErrorDomain else { return nil }
    switch CocoaError.Code(rawValue: error.code) {
    case .fileNoSuchFile, .fileReadNoSuchFile: return posix(ENOENT)
    case .fileReadNoPermission, .fileWriteNoPermission: return posix(EACCES)
    case .fileWriteOutOfSpace: return posix(ENOSPC)
    case .fileWriteVolumeReadOnly: return posix(EROFS)
    case .fileWriteFileExists: return posix(EEXIST)
    case .fileReadCorruptFile: return "the file's contents cannot be read"
    case .fileReadInapplicableStringEncoding: return "the file is not text in the expected encoding"
    default: return nil
    }
  }
}
