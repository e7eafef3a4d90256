// SPDX-License-Identifier: Apache-2.0

/// A status code in an MBoot response, with the name NXP's host tools print for it.
public struct MBootStatus: Sendable, Hashable, CustomStringConvertible {
  public var code: UInt32

  /// The status with this code.
  public init(_ code: UInt32) {
    self.code = code
  }

  public static let success = MBootStatus(0)
  public static let fail = MBootStatus(1)
  public static let outOfRange = MBootStatus(3)
  public static let invalidArgument = MBootStatus(4)
  public static let unknownCommand = MBootStatus(10000)
  public static let abortDataPhase = MBootStatus(10002)
  public static let memoryRangeInvalid = MBootStatus(10200)
  public static let memoryCumulativeWrite = MBootStatus(10203)
  public static let memoryNotConfigured = MBootStatus(10205)
  public static let memoryAlignmentError = MBootStatus(10206)
  public static let memoryVerifyFailed = MBootStatus(10207)
  public static let unknownProperty = MBootStatus(10300)
  public static let readOnlyProperty = MBootStatus(10301)
  public static let flexSPINORProgramFail = MBootStatus(20100)
  public static let flexSPINOREraseSectorFail = MBootStatus(20101)

  public var isSuccess: Bool { code == 0 }

  /// The status's name (`MemoryCumulativeWrite`), or nil for a code rig does not know.
  public var name: String? { Self.names[code] }

  /// `10203 MemoryCumulativeWrite`, or the bare code when the name is unknown.
  public var description: String {
    name.map { "\(code) \($0)" } ?? "\(code) (unknown status)"
  }

  /// MCUBoot's status codes, by group (the names NXP's host tools use).
  static let names: [UInt32: String] = [
    0: "Success", 1: "Fail", 2: "ReadOnly", 3: "OutOfRange", 4: "InvalidArgument",
    5: "TimeoutError", 6: "NoTransferInProgress",
    // Flash driver
    100: "FlashSizeError", 101: "FlashAlignmentError", 102: "FlashAddressError",
    103: "FlashAccessError", 104: "FlashProtectionViolation", 105: "FlashCommandFailure",
    106: "FlashUnknownProperty", 107: "FlashEraseKeyError", 108: "FlashRegionExecuteOnly",
    109: "FlashExecuteInRamFunctionNotReady", 111: "FlashCommandNotSupported",
    112: "FlashReadOnlyProperty", 113: "FlashInvalidPropertyValue",
    114: "FlashInvalidSpeculationOption", 116: "FlashEccError", 117: "FlashCompareError",
    118: "FlashRegulationLoss", 119: "FlashInvalidWaitStateCycles",
    121: "FlashCommandAbortOption", 154: "FlashEraseVerifyFailed",
    // FlexSPI controller
    6000: "FLEXSPI_SequenceExecutionTimeout", 6001: "FLEXSPI_InvalidSequence",
    6002: "FLEXSPI_DeviceTimeout", 7000: "FLEXSPI_SequenceExecutionTimeout",
    7001: "FLEXSPI_InvalidSequence", 7002: "FLEXSPI_DeviceTimeout",
    // Bootloader
    10000: "UnknownCommand", 10001: "SecurityViolation", 10002: "AbortDataPhase",
    10003: "PingError", 10004: "NoResponse", 10005: "NoResponseExpected",
    10006: "UnsupportedCommand",
    // Memory interface
    10200: "MemoryRangeInvalid", 10201: "MemoryReadFailed", 10202: "MemoryWriteFailed",
    10203: "MemoryCumulativeWrite", 10204: "MemoryAppOverlapWithExecuteOnlyRegion",
    10205: "MemoryNotConfigured", 10206: "MemoryAlignmentError", 10207: "MemoryVerifyFailed",
    10208: "MemoryWriteProtected", 10209: "MemoryAddressError", 10210: "MemoryBlankCheckFailed",
    10211: "MemoryBlankPageReadDisallowed",
    // Properties
    10300: "UnknownProperty", 10301: "ReadOnlyProperty", 10302: "InvalidPropertyValue",
    // Serial packetizer
    10500: "NoPingResponse", 10501: "InvalidPacketType", 10502: "InvalidCRC",
    10503: "NoCommandResponse",
    // FlexSPI NOR driver
    20100: "FLEXSPINORProgramFail", 20101: "FLEXSPINOREraseSectorFail",
    20102: "FLEXSPINOREraseAllFail", 20103: "FLEXSPINORWaitTimeout",
    20104: "FLEXSPINORPageSizeOverTheMaxSupportedSize", 20105: "FlexSPINORWriteAlignmentError",
    20106: "FlexSPINORCommandFailure", 20107: "FlexSPINORSFDPNotFound",
    20108: "FLEXSPINORUnsupportedSFDPVersion", 20109: "FLEXSPINORFlashNotFound",
    20110: "FLEXSPINORDTRReadDummyProbeFailed",
  ]
}
