// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `rig flash`: the flash step of a run on its own, with the same policy (skip when the board
/// already reports the image's hash unless forced; after flashing, the board must boot and
/// report the new hash). The board is left powered off.
public enum ManualFlash {
  /// How a manual flash ended.
  public enum Outcome: Sendable, Equatable {
    /// The board runs the image: flashed now, or found already running it.
    case done
    /// The flash, or the boot after it, failed: why, with the flash log.
    case failed(String)
    /// A signal cancelled it; the board was switched off.
    case interrupted
  }

  /// Flashes `image` (read through `files`) on `bench`. Every step is passed to `events` as it
  /// happens.
  public static func run(
    image: URL, address: UInt32?, bench: Bench, force: Bool, files: any FileAccess,
    events: @escaping (RunEvent) -> Void, progress: (@Sendable (FlashProgress) -> Void)?
  ) async -> Outcome {
    let suite = Suite(name: "flash", file: image, firmware: image, firmwareAddress: address, tests: [])
    var plan = RunPlan(
      suite: suite, tests: [], rig: bench.rig, runID: "flash", reportDirectory: FileManager.default.temporaryDirectory,
      toolVersion: "", files: files)
    plan.forceFlash = force
    let console = ConsoleMonitor(link: bench.console)
    let strategy = BoardStrategy(bench: bench, console: console) { events(.boardState($0)) }
    var step = FlashStep(plan: plan, bench: bench, strategy: strategy, record: events)
    step.progress = progress
    let outcome: Outcome
    do {
      outcome = try await step.run().map { .failed([$0.message, $0.details].compactMap { $0 }.joined(separator: "\n")) }
        ?? .done
    } catch {
      outcome = .interrupted
    }
    // Switched off even when cancelled: the step's own power-off may have been cut short.
    let power = bench.power
    await Task.detached { try? await power.set(.off) }.value
    return outcome
  }
}
