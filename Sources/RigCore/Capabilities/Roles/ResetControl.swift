// SPDX-License-Identifier: Apache-2.0

/// Resets the DUT: a reset line pulsed, or a program that does it.
public protocol ResetControl: Sendable {
  /// Resets the DUT and returns once it is out of reset.
  func pulse() async throws
}
