// SPDX-License-Identifier: Apache-2.0
import GPIOShim
import RigCore

/// A GPIO line driven by rig through libgpiod: a relay's coil, the DUT's reset or boot-mode pin.
///
/// The line stays requested (and so owned by this process, under `consumer`) until `release()`
/// or until the object goes away; it keeps its last level after that.
public final class GPIOOutputLine: DigitalOutput {
  /// `GPIO17 (gpiochip0 line 17)`.
  public let name: String
  public let spec: GPIOLineSpec
  /// Where the line was found when it was requested.
  public let location: GPIOLineLocation
  private let request: GPIOLineRequest

  /// Finds the line `spec` names and requests it as an output at logical level `initial`.
  ///
  /// - Parameter consumer: the name other programs see as the holder (`gpioinfo`, and rig's own
  ///   "busy (held by …)" message).
  /// - Throws: `RigError(.hardwareUnavailable)` when the chip or line is missing, not accessible
  ///   or held by another process (`line GPIO17 on gpiochip0 is busy (held by …)`);
  ///   `RigError(.configInvalid)` when the spec cannot name one line.
  public init(
    spec: GPIOLineSpec, initial: Bool, consumer: String = "rig",
    deviceDirectory: String = GPIOChips.deviceDirectory
  ) throws {
    self.spec = spec
    location = try GPIOChips.locate(spec, deviceDirectory: deviceDirectory)
    name = location.displayName
    request = try GPIOLineRequest.output(
      location, initial: initial, activeLow: spec.activeLow, drive: spec.drive, consumer: consumer)
  }

  /// Drives the line to the logical level `active` (inverted on the pin when active-low).
  public func set(_ active: Bool) async throws {
    try setNow(active)
  }

  /// `set(_:)` for callers outside async code; the ioctl does not block.
  public func setNow(_ active: Bool) throws {
    try request.withLine("set it \(active ? "active" : "inactive")") { line throws(CLibraryError) in
      try CLibraryError.check(gs_set_value(line, active ? 1 : 0), "gs_set_value")
    }
  }

  /// The logical level the line is driven to now.
  public func value() throws -> Bool {
    try request.withLine("read it back") { line throws(CLibraryError) in
      try CLibraryError.check(gs_get_value(line), "gs_get_value") == 1
    }
  }

  public func release() async {
    request.release()
  }
}
