// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  struct HistoryImport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Record report folders into history (CI artifacts of earlier runs).",
      discussion: """
        Each folder is a run's Reports/<run-id>/ (results.json, or events.ndjson for a run that \
        crashed, and artifacts/*/frames.csv). A folder holding run folders is imported whole. A run \
        already recorded is skipped, so importing twice records once.
        """)

    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "Run folders, or folders of run folders (such as Reports).") var folders: [String]

    func run() throws {
      do {
        let store = try historyOptions.open(create: true)
        var recorded = 0
        var skipped = 0
        for folder in try Self.runFolders(folders) {
          let (record, outcome) = try HistoryRecorder.record(folder: folder, into: store)
          Terminal.out(HistoryRecorder.describe(record, outcome, store: store))
          if outcome == .recorded { recorded += 1 } else { skipped += 1 }
        }
        Terminal.out("\(recorded) recorded, \(skipped) already there")
      } catch {
        throw Failure.exit(error)
      }
    }

    /// The run folders named: a folder with results.json or events.ndjson is one; otherwise its
    /// subfolders that are, in name (and so time) order.
    static func runFolders(_ paths: [String]) throws -> [URL] {
      func isRun(_ url: URL) -> Bool {
        ["results.json", "events.ndjson"].contains {
          FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
        }
      }
      var found: [URL] = []
      for path in paths {
        let url = URL(fileURLWithPath: path)
        if isRun(url) {
          found.append(url)
          continue
        }
        let children = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let runs = children.sorted().map { url.appendingPathComponent($0) }.filter(isRun)
        guard !runs.isEmpty else {
          throw RigError(
            .usage,
            "\(url.displayPath) is not a run folder (no results.json or events.ndjson) and holds none")
        }
        found += runs
      }
      return found
    }
  }

  struct HistoryPrune: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "prune",
      abstract: "Delete old runs from history (runs named as baselines are kept).")

    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: "Keep the newest N runs of each suite and rig.") var keep: Int?
    @Option(name: .long, help: "Delete runs started more than this many days ago.") var olderThanDays: Int?
    @Flag(name: .long, help: "Only list what would be deleted.") var dryRun = false
    @Flag(name: .long, help: "Print JSON: the run ids deleted.") var json = false

    func run() throws {
      do {
        guard keep != nil || olderThanDays != nil else {
          throw RigError(.usage, "say what to prune: --keep N and/or --older-than-days D")
        }
        let store = try historyOptions.open(create: false)
        let before = olderThanDays.map { Date().addingTimeInterval(-Double($0) * 86_400) }
        let deleted = try store.prune(before: before, keep: keep, dryRun: dryRun)
        if json {
          Terminal.out(try HistoryJSON.render(deleted))
          return
        }
        for runID in deleted { Terminal.out((dryRun ? "would delete " : "deleted ") + runID) }
        Terminal.out("\(deleted.count) run\(deleted.count == 1 ? "" : "s") \(dryRun ? "would be " : "")deleted")
      } catch {
        throw Failure.exit(error)
      }
    }
  }

  struct HistoryMarkGood: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "mark-good",
      abstract: "Flag the firmware a run used as good: its passing runs become automatic baselines.")

    @OptionGroup var historyOptions: HistoryOptions
    @Argument(help: "Run id.") var runID: String
    @Flag(name: .long, help: "Remove the flag instead.") var undo = false

    func run() throws {
      do {
        let store = try historyOptions.open(create: false)
        if undo {
          guard let hash = try store.run(runID)?.firmwareKey else {
            throw RigError(.usage, "no run '\(runID)' with a firmware hash in \(store.url.displayPath)")
          }
          let removed = try store.unmarkGood(firmwareKey: hash)
          Terminal.out(removed ? "firmware \(ImageHash.short(hash)) is no longer flagged good" : "firmware \(ImageHash.short(hash)) was not flagged good")
        } else {
          let hash = try store.markGood(runID: runID)
          Terminal.out("firmware \(ImageHash.short(hash)) (run \(runID)) flagged good: its passing runs are automatic baselines")
        }
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}
