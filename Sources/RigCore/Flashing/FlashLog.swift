// SPDX-License-Identifier: Apache-2.0

/// The lines a flash writes as it goes, each stamped with the seconds since it started: kept for
/// the report when it fails, and shown by `rig flash --verbose`. Used by one task.
final class FlashLog {
  private let start = ContinuousClock.now
  private(set) var lines: [String] = []
  /// Also called with every line as it is added.
  var echo: ((String) -> Void)?

  func add(_ line: String) {
    let stamped = "[\(MetricFormat.format3(elapsed)) s] \(line)"
    lines.append(stamped)
    echo?(stamped)
  }

  /// Seconds since the flash started.
  var elapsed: Double { (ContinuousClock.now - start).seconds }
}
