// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigSystem
import RigTestSupport
import Testing

@testable import RigCore

@Suite("Writing a run's reports")
struct ReportWriterTests {
  private func scratchDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "rig-reports-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test("writes junit.xml, results.json, report.html and summary.txt and leaves no temporary files")
  func writesAll() throws {
    let directory = try scratchDirectory()
    let written = try ReportWriter.write(
      ReportSamples.run, to: RunFolder(existing: directory), attachmentRoot: "Reports/x")
    #expect(written == ["junit.xml", "results.json", "report.html", "summary.txt"])
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(names == ["junit.xml", "report.html", "results.json", "summary.txt"])
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html == HTMLRenderer.render(ReportSamples.run, frames: [:]))
    let junit = try String(
      contentsOf: directory.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit == JUnitRenderer.render(ReportSamples.run, attachmentRoot: "Reports/x"))
    let json = try Data(contentsOf: directory.appendingPathComponent("results.json"))
    #expect(try JSONRenderer.parse(json) == ReportSamples.run)
    let summary = try String(
      contentsOf: directory.appendingPathComponent("summary.txt"), encoding: .utf8)
    #expect(summary == ConsoleSummary.render(ReportSamples.run, color: false))
  }

  @Test("report.html draws the frames.csv of each test found in the run folder")
  func readsFrames() throws {
    let directory = try scratchDirectory()
    let artifacts = directory.appendingPathComponent("artifacts/corridor-busy")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    // Longer than one read block, so the file is read in pieces.
    var csv = "frame,label_count,count,count_error,latency_ms,stack_bytes,heap_bytes,status,finding\n"
    for i in 0..<12_000 { csv += "\(i),2,\(i == 7_777 ? 5 : 2),0,31.250,6144,0,ok,matched\n" }
    try csv.write(to: artifacts.appendingPathComponent("frames.csv"), atomically: true, encoding: .utf8)
    let tables = FrameTableFiles.read(ReportSamples.run, in: directory)
    #expect(Array(tables.keys) == ["artifacts/corridor-busy/frames.csv"])
    #expect(tables.values.first?.rowCount == 12_000)
    #expect(tables.values.first?.count[7_777] == 5)
    try ReportWriter.write(ReportSamples.run, to: RunFolder(existing: directory), attachmentRoot: "", frames: tables)
    let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
    #expect(html.contains("frame 7777: counted 5, label 2 (+3)"))
  }

  @Test("a report that cannot be written is recorded and the others are still written")
  func diskFull() throws {
    let sink = MemoryArtifactSink(failing: ["junit.xml": 0])
    let written = try ReportWriter.write(ReportSamples.run, to: sink, attachmentRoot: "")
    #expect(written == ["results.json", "report.html", "summary.txt"])
    #expect(sink.paths == ["report.html", "results.json", "summary.txt"])
    #expect(try sink.text("results.json").map { try JSONRenderer.parse(Data($0.utf8)) } == ReportSamples.run)
    #expect(sink.text("summary.txt")?.hasSuffix("- exit 74\n") == true, "the summary knows junit.xml is missing")
    #expect(
      sink.failures == [
        ArtifactFailure(path: "junit.xml", kind: .notWritten, reason: "No space left on device")
      ])
    #expect(sink.failures.map(\.description) == ["junit.xml was not written (No space left on device)"])
  }

  @Test("a missing folder gives an error naming the file, and nothing is written")
  func missingFolder() throws {
    let directory = try scratchDirectory().appendingPathComponent("not-there")
    let folder = RunFolder(existing: directory)
    #expect(try ReportWriter.write(ReportSamples.run, to: folder, attachmentRoot: "").isEmpty)
    #expect(folder.failures.map(\.path) == ["junit.xml", "results.json", "report.html", "summary.txt"])
    #expect(folder.failures.allSatisfy { $0.reason == "No such file or directory" })
  }

  @Test("after kill -9 mid-test, the event log rebuilds into reports that validate")
  func rebuildAfterKill() async throws {
    let directory = try scratchDirectory()
    let log = directory.appendingPathComponent("events.ndjson")
    let writer = try EventLogWriter(sink: RunFolder(existing: directory))
    for event in ReportSamples.completeEvents.prefix(9) { try writer.append(event) }
    writer.close()
    // The process died while writing the next line.
    var data = try Data(contentsOf: log)
    let next = try EventLogWriter.line(for: ReportSamples.completeEvents[9])
    data.append(next.prefix(17))
    try data.write(to: log)

    let contents = try EventLogReader.read(log)
    #expect(contents.warnings.count == 1)
    let run = try RunResultBuilder.build(contents.events)
    try ReportWriter.write(run, to: RunFolder(existing: directory), attachmentRoot: "Reports/\(run.runID)")
    #expect(ExitStatus(run: run) == .testErrored)
    #expect(run.tests.map(\.verdict) == [.passed, .failed, .errored, .errored, .errored])

    guard Xmllint.executable != nil else {
      Issue.record(Comment(rawValue: Xmllint.missingMessage))
      return
    }
    let junit = directory.appendingPathComponent("junit.xml")
    let result = try await Xmllint.run(["--noout", "--schema", Xmllint.junit10.path, junit.path])
    #expect(result.status == 0, "xmllint: \(result.stderr)")
    let summary = try String(
      contentsOf: directory.appendingPathComponent("summary.txt"), encoding: .utf8)
    #expect(summary.contains("STOP   the run was interrupted: run did not finish"))
    #expect(summary.contains("ERROR  lighting-change: the run ended before this test finished"))
    #expect(summary.hasSuffix("1 passed, 1 failed, 3 errored, 0 skipped in 14.0 s - exit 2\n"))
  }
}
