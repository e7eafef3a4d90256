// SPDX-License-Identifier: Apache-2.0
import Foundation

/// `rig flash`: the flash step of a run on its own, with the same policy (skip when the board
/// already reports the image's hash unless forced; after flashing, the board must boot and
/// report the new hash). The board is left powered off.
public enum ManualFlash {
  /// Flashes `image` on `bench`; returns nil on success, or why it failed. Every step is passed
  /// to `events` as it happens.
  public static func run(
    image: URL, address: UInt32?, bench: Bench, force: Bool, events: @escaping (RunEvent) -> Void,
    progress: (@Sendable (FlashProgress) -> Void)?
  ) async -> String? {
    let suite = Suite(name: "flash", file: image, firmware: image, firmwareAddress: address, tests: [])
    var plan = RunPlan(
      suite: suite, tests: [], rig: bench.rig, runID: "flash", reportDirectory: FileManager.default.temporaryDirectory,
      toolVersion: "")
    plan.forceFlash = force
    let console = ConsoleMonitor(link: bench.console)
    let strategy = BoardStrategy(bench: bench, console: console) { events(.boardState($0)) }
    var step = FlashStep(plan: plan, bench: bench, strategy: strategy, record: events)
    step.progress = progress
    let failure = await step.run()
    try? await bench.power.set(.off)
    return failure.map { [$0.message, $0.details].compactMap { $0 }.joined(separator: "\n") }
  }
}
