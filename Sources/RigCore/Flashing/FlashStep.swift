// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Step 4 of a run (DESIGN §3): put the suite's firmware on the board unless it already runs it,
/// then prove it does.
///
/// The board is booted once to read the image hash it reports; if that equals the hash of the
/// suite's image, flashing is skipped and the board stays booted for the first test (`force`
/// flashes anyway). After flashing, the board must boot and report the new hash, or every test
/// of the run is errored.
struct FlashStep {
  /// Why the tests cannot run.
  struct Failure: Error {
    var message: String
    var details: String?
    var errorType: String
  }

  let plan: RunPlan
  let bench: Bench
  let strategy: BoardStrategy
  let record: (RunEvent) -> Void
  /// Called as the flash goes (`rig flash` shows it).
  var progress: (@Sendable (FlashProgress) -> Void)? = nil
  /// Every flash must finish within this.
  static let flashTimeout = Duration.seconds(30 * 60)

  /// Flashes if needed; returns the failure that errors every test, or nil when they may run.
  /// - Throws: `CancellationError` when the run is cancelled on the way: whatever the step under
  ///   way then failed with is the interruption's doing, not the board's or the flasher's.
  func run() async throws -> Failure? {
    guard let file = plan.suite.firmware else { return nil }
    if plan.noFlash {
      try await reportRunningImage(file)
      return nil
    }
    guard let flasher = bench.flasher else {
      // `rig run` refuses this before the run; any other caller gets the same answer here.
      let problem = FlasherRequirement.issue(suite: plan.suite, rig: plan.rig)?.description
      return Failure(
        message: problem ?? "\(plan.rig.name) has no flasher for \(file.displayPath)", details: nil,
        errorType: "ConfigError")
    }
    let image: FirmwareImage
    do {
      image = try readImage(file)
    } catch {
      return Failure(message: "firmware image: \(error.message)", details: nil, errorType: "FlashError")
    }
    let hash = image.hash

    if plan.forceFlash {
      record(.note(Note(level: .info, message: "--force: flashing \(file.displayPath) without checking the board")))
    } else {
      do {
        let (identity, _) = try await strategy.boot()
        if ImageHash.matches(reported: identity.imageHash, expected: hash) {
          record(.flash(FlashReport(
            bytes: image.bytes.count, seconds: 0, skipped: true, method: flasher.method, imageHash: hash,
            image: file.displayPath, reason: "the board already runs this image")))
          return nil
        }
        record(.note(Note(
          level: .info,
          message: "the board runs img=\(identity.imageHash.isEmpty ? "(none)" : identity.imageHash); "
            + "flashing \(file.displayPath) (img=\(hash))")))
      } catch {
        try Self.checkInterrupted(error)
        record(.note(Note(
          level: .info, message: "the board did not identify itself (\(firstLine(error))); flashing \(file.displayPath)")))
      }
    }

    do {
      try await strategy.powerOff()
      record(.boardState(BoardStateChange(
        state: "flashing",
        detail: "\(flasher.method): \(file.displayPath), \(image.bytes.count) bytes at \(hex32(image.loadAddress))")))
      let report = try await flasher.flash(image, deadline: strategy.clock.deadline(after: Self.flashTimeout), progress: progress)
      record(.flash(report))
    } catch {
      try? await strategy.powerOff()
      try Self.checkInterrupted(error)
      return flashFailed(error)
    }

    do {
      let (identity, _) = try await strategy.boot()
      guard ImageHash.matches(reported: identity.imageHash, expected: hash) else {
        try? await strategy.powerOff()
        let message =
          "after flashing, the board reports image hash \(identity.imageHash.isEmpty ? "(none)" : identity.imageHash), "
          + "expected \(hash): the flash did not take, or the firmware computes img= another way "
          + "(docs/telemetry.md: SHA-256 of the image from its first to its last byte)"
        record(.note(Note(level: .error, message: message)))
        return Failure(message: message, details: nil, errorType: "FlashError")
      }
    } catch {
      try? await strategy.powerOff()
      try Self.checkInterrupted(error)
      let message = "after flashing, the board did not boot: \(error)"
      record(.note(Note(level: .error, message: message)))
      return Failure(message: message, details: nil, errorType: "FlashError")
    }
    return nil
  }

  private func readImage(_ file: URL) throws(RigError) -> FirmwareImage {
    try FirmwareImageReader.read(
      file, binAddress: plan.suite.firmwareAddress,
      flashSize: plan.rig.simulation?.flash.sizeBytes ?? RT1062MemoryMap.defaultFlashSize)
  }

  /// `--no-flash`: boots the board to learn which image it runs and records it against the
  /// suite's, so the report says what the tests judged. The run goes on either way.
  private func reportRunningImage(_ file: URL) async throws {
    let expected = try? readImage(file).hash
    let identity: Identity
    do {
      identity = try await strategy.boot().identity
    } catch {
      try Self.checkInterrupted(error)
      record(.note(Note(
        level: .warning,
        message: "--no-flash: the board did not identify itself (\(firstLine(error))), so which image it "
          + "runs is unknown")))
      return
    }
    let running = identity.imageHash.isEmpty ? "(none)" : identity.imageHash
    let matches = expected.map { ImageHash.matches(reported: identity.imageHash, expected: $0) } ?? false
    record(.flash(FlashReport(
      bytes: 0, seconds: 0, skipped: true, method: "none (--no-flash)", imageHash: expected,
      image: file.displayPath,
      reason: matches
        ? "--no-flash: the board already runs this image"
        : "--no-flash: the board runs img=\(running), not this image")))
    if !matches {
      record(.note(Note(
        level: .warning,
        message: "--no-flash: the board runs img=\(running), not the suite's \(file.displayPath)"
          + (expected.map { " (img=\($0))" } ?? "") + "; the results are for the image the board runs")))
    }
  }

  /// Rethrows as `CancellationError` when the run is cancelled: the error is the interruption's.
  private static func checkInterrupted(_ error: any Error) throws {
    if error is CancellationError || Task.isCancelled { throw CancellationError() }
  }

  /// The failure of the flash itself, with the flasher's log when it kept one.
  private func flashFailed(_ error: any Error) -> Failure {
    if let error = error as? FlashError {
      record(.note(Note(level: .error, message: error.description)))
      return Failure(
        message: error.description, details: (["flash log:"] + error.log).joined(separator: "\n"),
        errorType: "FlashError")
    }
    record(.note(Note(level: .error, message: "flash failed: \(error)")))
    return Failure(message: "flash failed: \(error)", details: nil, errorType: "FlashError")
  }

  private func firstLine(_ error: any Error) -> String {
    String("\(error)".prefix { $0 != "\n" && $0 != ";" })
  }
}
