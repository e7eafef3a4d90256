// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What one attempt at a test produced.
struct AttemptResult {
  var startedAt: Date
  var duration: Double
  /// Set when rig could not reach a verdict.
  var error: RigError?
  var metrics: [MetricValue] = []
  var accounting = FrameAccounting()
  /// Warnings worth putting in the report even when the test passes.
  var warnings: [String] = []
  /// How many frames the DUT reported with each status other than `ok`.
  var deviceStatuses: [String: Int] = [:]
}

extension AttemptResult {
  /// What ended an attempt, as the report tells it. Once the run is cancelled, whatever the step
  /// under way then threw (a wait cut short, a port closed under it, a command killed) is the
  /// interruption's doing and never the DUT's: it is reported as `interrupted`, keeping the
  /// step's own error as the cause.
  static func error(ending error: any Error, cancelled: Bool) -> RigError {
    if error is CancellationError { return RigError(.interrupted, "interrupted") }
    if cancelled { return RigError(.interrupted, "interrupted", cause: error) }
    if let error = error as? RigError { return error }
    return RigError(.internal, "unexpected error", cause: error)
  }

  /// `frames bad_length: 12, 13; damaged: 40`: which frames had which finding, by name.
  static func namedFindings(_ named: [String: [Int]]) -> [String] {
    guard !named.isEmpty else { return [] }
    let parts = named.sorted { $0.key < $1.key }.map { kind, frames -> String in
      let shown = frames.prefix(12).map(String.init).joined(separator: ", ")
      return "\(kind) \(shown)" + (frames.count > 12 ? " and \(frames.count - 12) more" : "")
    }
    return ["frames " + parts.joined(separator: "; ")]
  }
}
