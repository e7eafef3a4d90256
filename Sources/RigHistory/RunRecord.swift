// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// A finished (or interrupted) run as history records it: its result, and each test's per-frame
/// results, read back from its report folder — the same way for a run that just ended, a run
/// `rig report` rebuilt after a crash, and last night's reports arriving as CI artifacts.
public struct RunRecord: Sendable {
  public var run: RunResult
  /// Per-frame results by test name; a test that never got a frame has none.
  public var frames: [String: FrameSeries]
  /// The report folder.
  public var folder: URL
  /// Files that could not be read (a damaged frames.csv): the test is recorded without frames.
  public var warnings: [String]

  public init(run: RunResult, frames: [String: FrameSeries], folder: URL, warnings: [String] = []) {
    self.run = run
    self.frames = frames
    self.folder = folder
    self.warnings = warnings
  }

  /// Reads `Reports/<run-id>/`: results.json when the run wrote it, else its events.ndjson (a run
  /// killed before its reports), and each test's `frames.csv`.
  /// - Throws: `RigError(.configInvalid)` when the folder holds neither file, or they are not rig's.
  public static func read(folder: URL) throws -> RunRecord {
    let results = folder.appendingPathComponent("results.json")
    let events = folder.appendingPathComponent("events.ndjson")
    let run: RunResult
    var warnings: [String] = []
    if let data = FileManager.default.contents(atPath: results.path) {
      do {
        run = try JSONRenderer.parse(data)
      } catch {
        throw RigError(.configInvalid, "\(results.displayPath): \(error)")
      }
    } else if FileManager.default.fileExists(atPath: events.path) {
      let log = try EventLogReader.read(events)
      warnings += log.warnings.map { "\(events.displayPath): \($0)" }
      run = try RunResultBuilder.build(log.events)
    } else {
      throw RigError(
        .configInvalid,
        "\(folder.displayPath) is not a rig report folder: it has neither results.json nor events.ndjson")
    }
    var record = RunRecord(run: run, folder: folder)
    record.warnings = warnings + record.warnings
    return record
  }

  /// `run` with each test's per-frame results read from its `frames.csv` in `folder`.
  public init(run: RunResult, folder: URL) {
    var frames: [String: FrameSeries] = [:]
    var warnings: [String] = []
    for test in run.tests {
      guard let attachment = test.attachments.first(where: { $0.hasSuffix("frames.csv") }) else { continue }
      let url = folder.appendingPathComponent(attachment)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        warnings.append("\(url.displayPath): missing; test '\(test.name)' is recorded without its frames")
        continue
      }
      do {
        frames[test.name] = try FrameSeries(framesCSV: String(decoding: data, as: UTF8.self))
      } catch {
        warnings.append("\(url.displayPath): \(error); test '\(test.name)' is recorded without its frames")
      }
    }
    self.init(run: run, frames: frames, folder: folder, warnings: warnings)
  }

  public func property(_ name: String) -> String? {
    run.properties.first { $0.name == name }?.value
  }

  /// The firmware build the board reported running (its boot record's image hash and version,
  /// `EvidenceIdentity.firmwareKey`); empty when the board never booted.
  public var firmwareKey: String? {
    guard let image = property("fw.image_hash"), !image.isEmpty else { return nil }
    return EvidenceIdentity.firmwareKey(imageHash: image, version: property("fw.version") ?? "")
  }

  /// Each test as evidence for comparison, baselines and flaky detection.
  public var evidence: [TestEvidence] {
    run.tests.map { test in
      TestEvidence(
        run: run.runID, result: test,
        identity: EvidenceIdentity(firmwareHash: firmwareKey ?? "", clipHash: test.clipHash ?? ""),
        frames: frames[test.name] ?? FrameSeries())
    }
  }
}
