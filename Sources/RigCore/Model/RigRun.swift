// SPDX-License-Identifier: Apache-2.0
import Foundation

/// One rig's part in a run on several rigs (a pool, or shards merged into one run): which rig it
/// is, what became of it, and what its board reported. A run on one rig has none.
///
/// The same value is the payload of the `rig_state` event, written each time the rig's state
/// changes; the last one written for a rig is its part in the report.
public struct RigRun: Sendable, Codable, Equatable {
  /// Where a rig stands in a run.
  public enum State: String, Sendable, Codable, CaseIterable {
    /// Being prepared: lock, bench, health check.
    case starting
    /// Taking tests.
    case running
    /// Ran its share of the tests to the end.
    case finished
    /// Taken out during the run (its board vanished, its power switch failed, the suite's
    /// firmware could not be put on it); the tests it had not run went to the other rigs.
    case removed
    /// Not used: marked as quarantined before this run, or failing its health check now.
    case quarantined
    /// Could not be used: locked by another run, or its instruments would not open.
    case unavailable
  }

  /// The rig's name (`rig:` in its file).
  public var name: String
  /// The rig file, as given.
  public var file: String
  /// Board kind (`board:` in the rig file).
  public var board: String
  public var state: State
  /// Why the rig is removed, quarantined or unavailable.
  public var reason: String?
  /// What the rig's run reported: `rig.id`, `rig.board`, the board's firmware identity
  /// (`fw.image_hash` …), the flash step (`flash.*`), `sim.seed`; filled when it finishes.
  public var properties: [RunResult.Property]
  /// The run folder, relative to the merged one, that this rig's tests came from (`rig report
  /// merge`); nil in the run that ran them.
  public var origin: String?

  public init(
    name: String, file: String, board: String, state: State, reason: String? = nil,
    properties: [RunResult.Property] = [], origin: String? = nil
  ) {
    self.name = name
    self.file = file
    self.board = board
    self.state = state
    self.reason = reason
    self.properties = properties
    self.origin = origin
  }

  /// The rig could not do its share: what makes a run's bench degraded (exit 3).
  public var isOut: Bool { state == .removed || state == .quarantined || state == .unavailable }

  /// The value of one of its properties.
  public func property(_ name: String) -> String? { properties.first { $0.name == name }?.value }
}
