// SPDX-License-Identifier: Apache-2.0

/// The pins rig drives on one FTDI chip: which are outputs and at what level. Each change gives
/// the new state and the commands that send the whole of it, so a pin update always carries the
/// levels of the chip's other pins. Pure; `FTDIDevice` keeps the state once the commands went out.
struct FTDIPinState: Sendable, Equatable {
  let mode: FTDIPinMode
  /// Bit n set: pin n is an output.
  private(set) var direction: UInt16 = 0
  /// Bit n set: pin n is driven high.
  private(set) var value: UInt16 = 0
  /// Bit n set: a `FTDIOutputPin` holds pin n.
  private(set) var claimed: UInt16 = 0
  /// Whether the chip has been put in `mode`.
  private(set) var entered = false

  init(mode: FTDIPinMode) {
    self.mode = mode
  }

  func isClaimed(_ pin: Int) -> Bool { claimed & Self.bit(pin) != 0 }

  /// `pin` made an output at physical `level`; the first pin also enters the mode.
  func claiming(_ pin: Int, level: Bool) -> (state: FTDIPinState, commands: [FTDIPinCommand]) {
    var next = self
    next.direction |= Self.bit(pin)
    next.value = Self.setting(value, pin, level)
    next.claimed |= Self.bit(pin)
    next.entered = true
    let commands =
      entered
      ? FTDIPinCommand.update(
        mode, direction: next.direction, value: next.value, previousDirection: direction)
      : FTDIPinCommand.enter(mode, direction: next.direction, value: next.value)
    return (next, commands)
  }

  /// `pin` driven to physical `level`, every other pin as it was.
  func setting(_ pin: Int, level: Bool) -> (state: FTDIPinState, commands: [FTDIPinCommand]) {
    var next = self
    next.value = Self.setting(value, pin, level)
    return (
      next,
      FTDIPinCommand.update(
        mode, direction: direction, value: next.value, previousDirection: direction)
    )
  }

  /// `pin` given back. It stays an output at its level: the hardware keeps what it was told.
  func releasing(_ pin: Int) -> FTDIPinState {
    var next = self
    next.claimed &= ~Self.bit(pin)
    return next
  }

  private static func bit(_ pin: Int) -> UInt16 { 1 << UInt16(pin) }

  private static func setting(_ bits: UInt16, _ pin: Int, _ level: Bool) -> UInt16 {
    level ? bits | bit(pin) : bits & ~bit(pin)
  }
}
