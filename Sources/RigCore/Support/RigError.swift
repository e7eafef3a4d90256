// SPDX-License-Identifier: Apache-2.0

/// Why rig could not do what it was asked: the error every layer throws to the runner and the CLI.
///
/// The code decides the exit status and whether a test is `errored`; the message says what, why
/// and what to check, naming the board, path or line involved.
public struct RigError: Error, Sendable, CustomStringConvertible {
  public enum Code: String, Sendable, Codable {
    /// A file the user wrote is wrong (exit 78).
    case configInvalid
    /// Hardware named by the rig file is missing or inaccessible (exit 69).
    case hardwareUnavailable
    /// Hardware misbehaved during a run: garbage, vanished port, emulator fault.
    case hardwareFault
    /// A wait ran past its deadline.
    case timedOut
    /// The DUT stopped answering (watchdog).
    case hang
    /// The DUT answered with something that breaks the protocol or its identity.
    case protocolViolation
    /// An external command failed.
    case toolFailed
    /// The run was interrupted by a signal.
    case interrupted
    /// Bad command-line usage (exit 64).
    case usage
    /// A file or folder the command reads does not exist or cannot be read (exit 66).
    case inputMissing
    /// A folder or file the command must write cannot be created (exit 73).
    case cannotCreateOutput
    /// A bug in rig.
    case `internal`
  }

  public var code: Code
  public var message: String
  public var cause: (any Error)?

  public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
    self.code = code
    self.message = message
    self.cause = cause
  }

  public var description: String {
    guard let cause else { return message }
    // Never Foundation's raw dump: the cause in words a user can act on.
    return "\(message): \(ErrorText.describe(cause))"
  }

  /// The short class JUnit's `type` attribute carries.
  public var junitType: String {
    switch code {
    case .timedOut: "Timeout"
    case .hang: "Hang"
    case .protocolViolation: "ProtocolError"
    case .interrupted: "Interrupted"
    default: "RigError"
    }
  }
}
