// SPDX-License-Identifier: Apache-2.0

/// Why a flash failed: the stage, the command and the status the device gave, and the flash
/// log up to the failure.
public struct FlashError: Error, Sendable, CustomStringConvertible {
  /// The steps of a flash, in order.
  public enum Stage: String, Sendable {
    case image
    case bootMode = "boot-mode"
    case rom
    case flashloader
    case configure
    case erase
    case write
    case verify
    case reset
    case tool
  }

  public var stage: Stage
  /// The command that failed: `WRITE_FILE(0x20000000, 16384 bytes)`, `FlashEraseRegion(…)`.
  public var command: String?
  /// The status the device answered: `20101 FLEXSPINOREraseSectorFail`, `0x33050000 (HAB …)`.
  public var status: String?
  /// What happened, in words.
  public var detail: String
  public var code: RigError.Code
  /// The flash log up to the failure.
  public var log: [String]

  public init(
    stage: Stage, command: String? = nil, status: String? = nil, detail: String,
    code: RigError.Code = .hardwareFault, log: [String] = []
  ) {
    self.stage = stage
    self.command = command
    self.status = status
    self.detail = detail
    self.code = code
    self.log = log
  }

  public var description: String {
    var text = "flash failed in stage \(stage.rawValue)"
    if let command { text += ", command \(command)" }
    if let status { text += ": status \(status)" }
    return text + ": " + detail
  }

  /// The same failure as the error every layer understands.
  public var rigError: RigError { RigError(code, description) }
}
