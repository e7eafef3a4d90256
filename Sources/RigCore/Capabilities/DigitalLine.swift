// SPDX-License-Identifier: Apache-2.0

/// A digital output: a GPIO line, an FTDI pin. `active` is the logical level; a backend whose
/// line is wired active-low inverts it, so roles never care about wiring polarity.
public protocol DigitalOutput: Sendable {
  /// What the line is, for messages: `GPIO17 (gpiochip0 line 17)`, `FT232H ADBUS4`.
  var name: String { get }
  /// Drives the line and returns once the backend has applied it.
  func set(_ active: Bool) async throws
  /// Gives the line back (it keeps its last level where the hardware allows).
  func release() async
}

/// One edge seen on an input line.
public struct LineEdge: Sendable, Equatable {
  public var rising: Bool
  /// Kernel timestamp of the edge, nanoseconds on CLOCK_MONOTONIC.
  public var timestampNanoseconds: UInt64
  public init(rising: Bool, timestampNanoseconds: UInt64) {
    self.rising = rising
    self.timestampNanoseconds = timestampNanoseconds
  }
}

/// A digital input watched for edges: the DUT's result-ready pin.
public protocol EdgeInput: Sendable {
  var name: String { get }
  /// The next edge, or nil when the deadline passes first.
  func nextEdge(until deadline: ContinuousClock.Instant) async throws -> LineEdge?
  /// The current logical level.
  func read() async throws -> Bool
  func release() async
}
