// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A validated rig file: one DUT and its instruments.
public struct RigConfiguration: Sendable {
  public var name: String
  public var file: URL
  /// Board kind, for reports (`mimxrt1060-evk`, `teensy41`, `virtual-rt1062`).
  public var board: String
  public var timing: BenchTiming
  /// Present for a simulated bench (`simulated:`).
  public var simulation: SimulationSettings?
  /// Present for a real bench (`power:`, `console:`, …); a rig has this or `simulation`.
  public var hardware: HardwareSettings?
  /// What this rig offers that tests may require (`tags:`): a board variant, a wired feature.
  public var tags: [String] = []
  /// The short golden suite that says the rig is fit to test (`health:`).
  public var health: HealthCheck?
  /// Where runs on this rig are recorded (`history:`); nil leaves it to the environment and the
  /// default.
  public var history: HistorySetting?

  public init(
    name: String, file: URL, board: String, timing: BenchTiming = BenchTiming(),
    simulation: SimulationSettings?, hardware: HardwareSettings? = nil
  ) {
    self.name = name
    self.file = file
    self.board = board
    self.timing = timing
    self.simulation = simulation
    self.hardware = hardware
  }
}

/// Deadlines for the bench's waits. Every wait in a run takes its deadline from here or from the
/// test, so each can be set per rig.
public struct BenchTiming: Sendable, Equatable {
  /// Power held off before switching on again, so the board really resets.
  public var powerOffTime: Duration
  /// From power on until the boot record must have arrived.
  public var bootTimeout: Duration
  /// A host command (hello, start, stop) must be acknowledged within this.
  public var commandTimeout: Duration
  /// No telemetry record for this long while frames are pending means the DUT hangs.
  public var hangTimeout: Duration

  public init(
    powerOffTime: Duration = .milliseconds(200), bootTimeout: Duration = .seconds(10),
    commandTimeout: Duration = .seconds(2), hangTimeout: Duration = .seconds(5)
  ) {
    self.powerOffTime = powerOffTime
    self.bootTimeout = bootTimeout
    self.commandTimeout = commandTimeout
    self.hangTimeout = hangTimeout
  }
}

/// A history database named by a rig file or the environment, or recording switched off.
public enum HistorySetting: Sendable, Equatable {
  case file(URL)
  case off
}
