// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigSystem

extension Rig {
  /// `rig report`: rebuild one run's reports (`rig report DIR`, the default), or merge the run
  /// folders of a suite's shards (`rig report merge`).
  struct Reports: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report",
      abstract: "Rebuild a run's reports from its events (rig report DIR), or merge shards' runs (rig report merge).",
      subcommands: [Report.self, Merge.self], defaultSubcommand: Report.self)
  }
}

extension Rig.Reports {
  /// `rig report merge`: the run folders of a suite's shards, made on several hosts, as one run.
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Merge the run folders of one suite's shards into one run folder.",
      discussion: """
        Each folder's files are kept under OUT/shards/<run-id>/ (its junit.xml left out, so a \
        junit.xml glob finds only the merged one), and OUT gets one events.ndjson, junit.xml, \
        results.json, summary.txt and report.html covering every test, with a testsuite per rig. Folders of \
        different suites or of different rig versions are refused (64). Exit code: the merged \
        run's, as rig run would return it (docs/ci.md).
        """)

    @Argument(help: "Run folders to merge (Reports/<run-id> of each shard).")
    var folders: [String]

    @Option(name: .long, help: "Folder for the merged run (created; must not exist or be empty).")
    var out: String

    func run() throws {
      do {
        let output = URL(fileURLWithPath: out)
        try prepare(output)
        var parts: [RunMerge.Part] = []
        var used = Set<String>()
        for path in folders {
          let folder = URL(fileURLWithPath: path).standardizedFileURL
          let run = try FailedTests.read(folder)
          var name = folder.lastPathComponent
          var n = 2
          while used.contains(name) {
            name = "\(folder.lastPathComponent)-\(n)"
            n += 1
          }
          used.insert(name)
          parts.append(RunMerge.Part(run: run, folder: "shards/\(name)"))
          try FolderCopy.mirror(folder, to: output.appendingPathComponent("shards/\(name)"), skipping: ["junit.xml"])
        }
        let events = try RunMerge.events(parts, runID: output.lastPathComponent)
        let folder = RunFolder(existing: output)
        // One write for the whole log: the merged run is written after the fact, not as it goes.
        var log: [UInt8] = []
        for event in events { log += try EventLogWriter.line(for: event) }
        try folder.replace("events.ndjson", with: log)
        let result = try RunResultBuilder.build(events)
        let written = try ReportWriter.write(
          result, to: folder, attachmentRoot: folder.location, frames: FrameTableFiles.read(result, in: output))
        guard Evidence.account(folder.failures) else { throw ExitCode(ExitStatus.evidenceIncomplete.rawValue) }
        if let missing = result.properties.first(where: { $0.name == "merge.missing_shards" })?.value {
          Terminal.error("warning: shards \(missing) are not among the folders merged: their tests are not in the report")
        }
        Terminal.out(ConsoleSummary.render(result, color: Terminal.supportsColor))
        let files = (written.filter { $0 != "summary.txt" } + ["events.ndjson"]).joined(separator: ", ")
        Terminal.out("merged \(parts.count) runs: \(output.displayPath)/ (\(files))")
        if let page = Evidence.pageLine(folder, written: written) { Terminal.out(page) }
        throw ExitCode(ExitStatus(run: result).rawValue)
      } catch {
        throw Failure.exit(error)
      }
    }

    /// The output folder, made; one that holds anything is refused rather than mixed into.
    private func prepare(_ output: URL) throws {
      if let contents = try? FileManager.default.contentsOfDirectory(atPath: output.path), !contents.isEmpty {
        throw RigError(.usage, "--out \(output.displayPath) is not empty: give a new folder for the merged run")
      }
      do {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
      } catch {
        throw RigError(.usage, "cannot create \(output.displayPath): \(error.localizedDescription)")
      }
    }
  }
}

/// Copies a folder tree, hard-linking files where the file system allows (a merge of many
/// shards' frames.csv files costs no space), else copying them.
enum FolderCopy {
  static func mirror(_ source: URL, to destination: URL, skipping: Set<String>) throws {
    let manager = FileManager.default
    try manager.createDirectory(at: destination, withIntermediateDirectories: true)
    guard let walker = manager.enumerator(at: source, includingPropertiesForKeys: [.isDirectoryKey]) else { return }
    let base = source.standardizedFileURL.path
    for case let url as URL in walker {
      let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
      if skipping.contains(relative) { continue }
      let target = destination.appendingPathComponent(relative)
      if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
        try manager.createDirectory(at: target, withIntermediateDirectories: true)
      } else if link(url.path, target.path) != 0 {
        try manager.copyItem(at: url, to: target)
      }
    }
  }
}
