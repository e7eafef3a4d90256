// SPDX-License-Identifier: Apache-2.0

/// The DUT's reset (POR_B) on one digital output: active holds the DUT in reset. A pulse drives
/// it active for `pulseWidth`, then inactive again, even when the wait is cancelled, so the DUT
/// is never left held in reset.
public struct ResetLine: ResetControl {
  public let line: any DigitalOutput
  public let pulseWidth: Duration
  private let sleep: RoleSleep

  /// A reset over `line`; `sleep` is replaced in tests.
  public init(
    line: any DigitalOutput, pulseWidth: Duration, sleep: @escaping RoleSleep = Roles.taskSleep
  ) {
    self.line = line
    self.pulseWidth = pulseWidth
    self.sleep = sleep
  }

  public func pulse() async throws {
    do {
      try await line.set(true)
    } catch {
      throw RigError.during("cannot assert reset on \(line.name)", error)
    }
    var interrupted: (any Error)?
    do { try await sleep(pulseWidth) } catch { interrupted = error }
    do {
      try await line.set(false)
    } catch {
      throw RigError.during(
        "cannot release reset on \(line.name); the DUT may be held in reset", error)
    }
    if let interrupted { throw interrupted }
  }

  /// Gives the line back.
  public func release() async {
    await line.release()
  }
}
