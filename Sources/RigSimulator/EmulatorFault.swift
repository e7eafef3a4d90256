// SPDX-License-Identifier: Apache-2.0
import RigEmulatorCore

/// A fault the simulated camera emulator's register model can inject into what the DUT reads
/// (the emulator link's `FAULT` kinds).
public enum EmulatorFault: String, Sendable, CaseIterable {
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
  /// The SPI test register reads back wrong.
  case testRegisterFail = "testreg_fail"
  /// The OV2640 does not acknowledge on I2C.
  case i2cNack = "i2c_nack"
  /// FIFO bytes from the parameter on read as fill (0: from half the frame).
  case truncate

  /// How long an injected fault lasts.
  public enum Duration: Sendable {
    /// The next frame (or next access), then off.
    case once
    /// Until switched off.
    case always
    case off
  }

  var kind: arduchip_fault_kind_t {
    switch self {
    case .corruptByte: ARDUCHIP_FAULT_CORRUPT_BYTE
    case .lengthZero: ARDUCHIP_FAULT_LEN_ZERO
    case .lengthOversize: ARDUCHIP_FAULT_LEN_OVERSIZE
    case .lengthWrong: ARDUCHIP_FAULT_LEN_WRONG
    case .captureDoneStuck: ARDUCHIP_FAULT_CAPDONE_STUCK
    case .testRegisterFail: ARDUCHIP_FAULT_TESTREG_FAIL
    case .i2cNack: ARDUCHIP_FAULT_I2C_NACK
    case .truncate: ARDUCHIP_FAULT_TRUNCATE
    }
  }
}

extension EmulatorFault.Duration {
  var mode: arduchip_fault_mode_t {
    switch self {
    case .once: ARDUCHIP_FAULT_ONCE
    case .always: ARDUCHIP_FAULT_ALWAYS
    case .off: ARDUCHIP_FAULT_OFF
    }
  }
}
