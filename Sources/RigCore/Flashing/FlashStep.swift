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
    guard let flasher = bench.flasher else {
      record(.note(Note(
        level: .info, message: "\(plan.rig.name) has no flasher; \(file.displayPath) is not flashed")))
      return nil
    }
    let image: FirmwareImage
    do {
      image = try FirmwareImageReader.read(
        file, binAddress: plan.suite.firmwareAddress,
        flashSize: plan.rig.simulation?.flash.sizeBytes ?? RT1062MemoryMap.defaultFlashSize)
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
      let report = try await flasher.flash(image, deadline: .now + Self.flashTimeout, progress: progress)
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
