// SPDX-License-Identifier: Apache-2.0

/// A camera fault a test injects through the emulator (`emulator_faults:` in a suite), to check
/// how the firmware copes with camera trouble.
public struct EmulatorFaultInjection: Sendable, Equatable {
  public var kind: EmulatorFaultKind
  /// The clip frame (0-based) a frame fault hits; nil: the next frame (`once`) or every frame
  /// (`always`). Faults of the bus (`testreg_fail`, `i2c_nack`) ignore it: they are armed before
  /// the test's `start`, when the firmware checks its camera.
  public var frame: Int?
  public var mode: EmulatorFaultMode
  /// Offset for `corrupt_byte` and `truncate`, length for `len_wrong`; 0 for the default.
  public var parameter: UInt32

  public init(kind: EmulatorFaultKind, frame: Int? = nil, mode: EmulatorFaultMode = .once, parameter: UInt32 = 0) {
    self.kind = kind
    self.frame = frame
    self.mode = mode
    self.parameter = parameter
  }
}
