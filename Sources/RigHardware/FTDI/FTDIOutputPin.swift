// SPDX-License-Identifier: Apache-2.0
import RigCore

/// One pin of an FTDI chip used as a digital output: a relay, the DUT's reset or boot-mode
/// line. Several pins of one chip share one opened device and never overwrite each other.
public final class FTDIOutputPin: DigitalOutput {
  /// `FTDI 0403:6014:FT123456 ADBUS4`.
  public let name: String
  public let selector: FTDISelector
  public let mode: FTDIPinMode
  /// Bit number: 0–3 for CBUS, 0–7 for bitbang, 0–15 for MPSSE (8–15 are ACBUS0–7).
  public let pin: Int
  /// Logical "active" drives the pin low.
  public let activeLow: Bool
  private let device: FTDIDevice
  private let released = Locked(false)

  /// Opens the chip (or joins the pins of it already open), makes `pin` an output and drives it
  /// to the logical level `initial`.
  ///
  /// - Throws: `RigError(.configInvalid)` for a pin the mode does not have, a pin claimed twice or
  ///   two modes on one chip; `RigError(.hardwareUnavailable)` when no device matches, it is held
  ///   by another program or not accessible; `RigError(.hardwareFault)` when the chip refuses
  ///   the mode. Every message says what to check.
  public init(
    selector: FTDISelector, mode: FTDIPinMode, pin: Int, activeLow: Bool = false, initial: Bool
  ) throws {
    guard (0..<mode.pinCount).contains(pin) else {
      throw RigError(
        .configInvalid,
        "FTDI \(mode.rawValue) pins are 0–\(mode.pinCount - 1); pin \(pin) of \(selector) does not exist"
      )
    }
    self.selector = selector
    self.mode = mode
    self.pin = pin
    self.activeLow = activeLow
    name = "FTDI \(selector) \(mode.pinName(pin, interface: selector.interface))"
    device = try FTDIDevice.claim(
      selector: selector, mode: mode, pin: pin, level: initial != activeLow)
  }

  deinit {
    releaseNow()
  }

  /// Drives the pin to the logical level `active` (inverted on the pin when active-low).
  public func set(_ active: Bool) async throws {
    try await device.set(pin: pin, level: active != activeLow)
  }

  /// Gives the pin back; the chip is closed once none of its pins is in use.
  public func release() async {
    releaseNow()
  }

  private func releaseNow() {
    let first = released.withLock { released in
      defer { released = true }
      return !released
    }
    if first { device.release(pin: pin) }
  }
}
