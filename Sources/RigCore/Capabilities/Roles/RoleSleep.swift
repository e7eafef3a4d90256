// SPDX-License-Identifier: Apache-2.0

/// How a role waits between line changes: `Task.sleep` on the bench, a recorder in tests.
public typealias RoleSleep = @Sendable (Duration) async throws -> Void

/// What the roles share.
public enum Roles {
  /// The sleep roles use unless told otherwise.
  public static let taskSleep: RoleSleep = { duration in
    if duration > .zero { try await Task.sleep(for: duration) }
  }
}

extension RigError {
  /// This error with what a role was doing in front of its message, the code kept.
  func during(_ action: String) -> RigError {
    RigError(code, "\(action): \(message)", cause: cause)
  }

  /// Any error, as a `RigError` saying what a role was doing.
  static func during(_ action: String, _ error: any Error) -> any Error {
    if error is CancellationError { return error }
    if let rig = error as? RigError { return rig.during(action) }
    return RigError(.hardwareFault, "\(action): \(error)", cause: error)
  }
}
