// SPDX-License-Identifier: Apache-2.0

/// The DUT's supply switched by one digital output (a relay or load switch on a GPIO line or an
/// FTDI pin): active = on. Waits after each switch so the supply has settled when `set` returns.
public struct LinePowerSwitch: PowerSwitch {
  public let line: any DigitalOutput
  /// Waited after switching on.
  public let onDelay: Duration
  /// Waited after switching off.
  public let offDelay: Duration
  private let sleep: RoleSleep

  /// A switch over `line`; `sleep` is replaced in tests.
  public init(
    line: any DigitalOutput, onDelay: Duration = .zero, offDelay: Duration = .zero,
    sleep: @escaping RoleSleep = Roles.taskSleep
  ) {
    self.line = line
    self.onDelay = onDelay
    self.offDelay = offDelay
    self.sleep = sleep
  }

  /// Drives the line and waits the configured delay.
  public func set(_ state: PowerState) async throws {
    do {
      try await line.set(state == .on)
    } catch {
      throw RigError.during("cannot switch power \(state.rawValue) through \(line.name)", error)
    }
    try await sleep(state == .on ? onDelay : offDelay)
  }

  /// Gives the line back.
  public func release() async {
    await line.release()
  }
}
