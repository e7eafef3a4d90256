// SPDX-License-Identifier: Apache-2.0

/// One thing `rig doctor` checked: what, how it went, and the fix when it did not go well.
public struct DoctorCheck: Sendable, Equatable, CustomStringConvertible {
  public enum Status: String, Sendable {
    /// Present and usable.
    case ok
    /// Works now, but something is likely to bite (a group only this login lacks, no udev rules).
    case warning
    /// Missing or inaccessible: a run would fail (exit 69).
    case problem
    /// The rig file names something that cannot be (exit 78).
    case badConfig
  }

  public var status: Status
  /// What was checked: `console /dev/serial/by-id/usb-NXP_…`, `group dialout`.
  public var subject: String
  public var detail: String
  /// What to do about it, when it is not ok and the detail does not already say.
  public var fix: String?

  /// A check's outcome.
  public init(_ status: Status, _ subject: String, _ detail: String, fix: String? = nil) {
    self.status = status
    self.subject = subject
    self.detail = detail
    self.fix = fix
  }

  /// `FAIL  console /dev/ttyACM0: not found (fix: …)`: one line per check.
  public var description: String {
    let label =
      switch status {
      case .ok: "ok   "
      case .warning: "warn "
      case .problem: "FAIL "
      case .badConfig: "BAD  "
      }
    return "\(label) \(subject): \(detail)" + (fix.map { " (fix: \($0))" } ?? "")
  }
}
