// SPDX-License-Identifier: Apache-2.0

/// The outcome of one test.
///
/// `failed` means the DUT was measured and broke a limit (the product is bad); `errored` means rig
/// could not reach a verdict (flash, power, serial, emulator, timeout, hang: the bench is bad).
public enum Verdict: String, Sendable, Codable, Comparable, CaseIterable {
  case passed, skipped, failed, errored

  /// Severity order, for the worst verdict of a run.
  private var rank: Int {
    switch self {
    case .passed: 0
    case .skipped: 1
    case .failed: 2
    case .errored: 3
    }
  }

  public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
}
