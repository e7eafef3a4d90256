// SPDX-License-Identifier: Apache-2.0

/// The 4-byte words the ROM answers SDP commands with. On UART they come as raw bytes: first the
/// HAB mode word, then (for most commands) a completion or status word.
///
/// Words are read big-endian, as NXP's host tools do; every fixed word is palindromic, so the
/// wire order does not matter for them.
public enum SDPResponse {
  /// HAB open (development part, normal for an EVK): unsigned images run.
  public static let habOpen: UInt32 = 0x5678_7856
  /// HAB closed (secure-boot part): unsigned images are rejected.
  public static let habClosed: UInt32 = 0x1234_3412
  /// WRITE_REGISTER, DCD_WRITE or WRITE_CSF complete.
  public static let writeComplete: UInt32 = 0x128A_8A12
  /// WRITE_FILE complete.
  public static let fileComplete: UInt32 = 0x8888_8888
  /// SKIP_DCD_HEADER done.
  public static let skipDCDOK: UInt32 = 0x900D_D009
  /// ERROR_STATUS: HAB success, no error.
  public static let habSuccess: UInt32 = 0xF0F0_F0F0
  /// SET_BAUDRATE done (parts that support it).
  public static let baudrateSet: UInt32 = 0x09D0_0D90

  /// The word in 4 wire bytes.
  public static func word<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// The 4 wire bytes of a word.
  public static func bytes(_ word: UInt32) -> [UInt8] {
    bigEndian(word)
  }

  /// What a word means, for logs and errors: `0x56787856 (HAB open)`.
  public static func describe(_ word: UInt32) -> String {
    let meaning: String? =
      switch word {
      case habOpen: "HAB open"
      case habClosed: "HAB closed"
      case writeComplete: "write complete"
      case fileComplete: "file complete"
      case skipDCDOK: "skip DCD OK"
      case habSuccess: "HAB success"
      case baudrateSet: "baud rate set"
      default: habStatus(word)
      }
    return hex32(word) + (meaning.map { " (\($0))" } ?? "")
  }

  /// HAB status and reason of an ERROR_STATUS word that is not success: the status byte
  /// (0x33 failure, 0x69 warning) first, then the reason.
  static func habStatus(_ word: UInt32) -> String? {
    let status = UInt8(word >> 24)
    let reason = UInt8((word >> 16) & 0xFF)
    let statusName: String
    switch status {
    case 0x33: statusName = "HAB failure"
    case 0x69: statusName = "HAB warning"
    default: return nil
    }
    let reasons: [UInt8: String] = [
      0x03: "unsupported command", 0x05: "invalid IVT", 0x17: "invalid data size",
      0x18: "invalid signature", 0x22: "invalid address", 0x27: "invalid DCD",
    ]
    return statusName + (reasons[reason].map { ": \($0)" } ?? "")
  }
}
