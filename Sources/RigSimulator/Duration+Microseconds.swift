// SPDX-License-Identifier: Apache-2.0

extension Duration {
  /// Whole microseconds.
  var microseconds: Int64 {
    let c = components
    return c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000
  }
}
