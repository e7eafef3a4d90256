// SPDX-License-Identifier: Apache-2.0
import Foundation

/// A rig's health check (`health:` in its rig file): a short golden suite — boot, a few known
/// frames, the counts they must give — run on the rig before a suite and by `rig health`. A rig
/// that fails it is quarantined until it passes again or a person clears it.
///
/// The golden suite names its own known-good firmware (or none, to check the image the board
/// holds), so a regression in the firmware under test never quarantines a good board.
public struct HealthCheck: Sendable, Equatable {
  /// The golden suite file.
  public var suite: URL
  /// Where the rig file names it, for messages.
  public var location: SourceLocation

  public init(suite: URL, location: SourceLocation) {
    self.suite = suite
    self.location = location
  }
}
