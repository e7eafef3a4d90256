// SPDX-License-Identifier: Apache-2.0
import Foundation

/// How long the tests may wait, for the build under test.
///
/// Every deadline in the tests is sized for a debug build on a loaded machine. A sanitized build
/// (Scripts/sanitize) runs the same code several times slower, so a wait that is generous for a
/// debug build ends before a correct program answers, and the test reports a false hang. The
/// tiers that run slow builds set `RIG_TEST_TIME_SCALE` (a factor ≥ 1), and the waits of the
/// tests, and the timings of the rig files the tests write, are multiplied by it here, in one
/// place, rather than each being raised by hand.
public enum TestTime {
  /// The factor from `RIG_TEST_TIME_SCALE`; 1 when it is unset or not a number ≥ 1.
  public static let scale: Double = {
    guard let text = ProcessInfo.processInfo.environment["RIG_TEST_TIME_SCALE"],
      let value = Double(text), value >= 1, value.isFinite
    else { return 1 }
    return value
  }()

  /// `duration` stretched for the build under test.
  public static func scaled(_ duration: Duration) -> Duration {
    scale == 1 ? duration : duration * scale
  }

  /// A deadline `duration` from now, stretched for the build under test.
  public static func deadline(in duration: Duration) -> ContinuousClock.Instant {
    .now + scaled(duration)
  }

  /// The sanitizer the build under test was made with (`RIG_TEST_SANITIZER`, which
  /// Scripts/sanitize sets: `thread` or `address`), for the few tests a sanitizer's runtime cannot
  /// take part in; nil for a plain build.
  public static let sanitizer: String? = ProcessInfo.processInfo.environment["RIG_TEST_SANITIZER"]

  /// Whole minutes for a test's time limit (Swift Testing counts them in minutes).
  public static func minutes(_ minutes: Int) -> Int {
    Int((Double(minutes) * scale).rounded(.up))
  }
}
