// SPDX-License-Identifier: Apache-2.0

/// A fault the camera emulator can inject into what the DUT reads (the link's FAULT kinds).
public enum EmulatorFaultKind: String, Sendable, Codable, CaseIterable {
  /// One byte of the frame reads inverted; parameter = offset (past the end: the middle byte).
  case corruptByte = "corrupt_byte"
  /// The FIFO length registers read 0.
  case lengthZero = "len_zero"
  /// The FIFO length registers read MAX_FIFO_SIZE, which the driver rejects.
  case lengthOversize = "len_oversize"
  /// The FIFO length registers read the parameter (0: half the true length).
  case lengthWrong = "len_wrong"
  /// CAP_DONE never sets, so the driver's poll never ends.
  case captureDoneStuck = "capdone_stuck"
  /// The SPI test register 0x00 reads back wrong.
  case testRegisterFail = "testreg_fail"
  /// The OV2640 does not acknowledge on I2C.
  case i2cNack = "i2c_nack"
  /// FIFO bytes from the parameter on read as fill (0: from half the frame).
  case truncate

  /// The wire code (the C model's `arduchip_fault_kind_t`).
  public var code: UInt8 {
    switch self {
    case .corruptByte: 0
    case .lengthZero: 1
    case .lengthOversize: 2
    case .lengthWrong: 3
    case .captureDoneStuck: 4
    case .testRegisterFail: 5
    case .i2cNack: 6
    case .truncate: 7
    }
  }

  /// The kind with this wire code.
  public init?(code: UInt8) {
    guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = kind
  }

  /// Whether the fault is about a frame (latched for one capture) rather than a bus access.
  public var isFrameFault: Bool {
    self != .testRegisterFail && self != .i2cNack
  }

  /// The kinds whose bits are set in an EVENT's `faults` byte.
  public static func kinds(inMask mask: UInt8) -> [EmulatorFaultKind] {
    allCases.filter { mask & (1 << $0.code) != 0 }
  }
}

/// How long an injected fault lasts.
public enum EmulatorFaultMode: String, Sendable, Codable, CaseIterable {
  /// Disarmed.
  case off
  /// The next frame (or next access), then off.
  case once
  /// Until switched off.
  case always

  /// The wire code.
  public var code: UInt8 {
    switch self {
    case .off: 0
    case .once: 1
    case .always: 2
    }
  }
}
