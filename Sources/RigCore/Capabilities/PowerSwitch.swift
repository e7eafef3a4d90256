// SPDX-License-Identifier: Apache-2.0

public enum PowerState: String, Sendable, Codable {
  case on, off
}

/// Switches the DUT's supply: a relay on a GPIO line, an FTDI pin, a hub port, a PDU, or the
/// simulated bench's virtual supply.
public protocol PowerSwitch: Sendable {
  /// Switches the supply and returns once the switch has acted.
  func set(_ state: PowerState) async throws
}
