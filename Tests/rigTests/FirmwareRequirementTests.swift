// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigTestSupport
import Testing

/// A suite that names a firmware image runs on that image or does not pass: on a rig that cannot
/// flash, rig refuses unless told `--no-flash`, and the report then says which image ran.
@Suite("a suite's firmware on a rig without flasher", .timeLimit(.minutes(TestTime.minutes(2))))
struct FirmwareRequirementTests {
  @Test("rig run refuses it as a configuration error (78) naming the firmware line, the rig file and the fix")
  func runRefused() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig()
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", hardware.path, "--reports", rig.reports.path,
    ])
    #expect(result.status == 78, "\(result.stdout)\n\(result.stderr)")
    #expect(
      result.stderr.contains(
        "error: Fixtures/suites/demo.yaml:6:20: firmware.image: the suite runs on "
          + "Fixtures/firmware/demo-counting.hex, but rig 'sim-hardware' (\(hardware.path)) has no flasher:"),
      "\(result.stderr)")
    #expect(result.stderr.contains("add a flasher: section to \(hardware.path)"))
    #expect(result.stderr.contains("--no-flash"))
    #expect(!board.child.stdout.contains("power on"), "the bench was not touched")
    let run = try await NotStartedReportTests.expectReports(rig, status: 78)
    #expect(run.tests.count == 4 && run.tests.allSatisfy { $0.errorType == "ConfigError" })
    #expect(run.tests[0].details?.contains("--no-flash") == true)
    try await board.stop()
  }

  @Test("with --no-flash it runs, and events, results.json and JUnit say which image ran and that it is not the suite's")
  func noFlashReports() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig()
    let result = try await rig.run([
      "run", "Fixtures/suites/demo.yaml", "--rig", hardware.path, "--reports", rig.reports.path, "--no-flash",
      "--only", "empty-room",
    ])
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    #expect(result.stdout.contains("warning: --no-flash: the board runs img="), "\(result.stdout)")
    let folder = try rig.runFolder()
    let results = try JSONRenderer.parse(Data(contentsOf: folder.appendingPathComponent("results.json")))
    let properties = Dictionary(results.properties.map { ($0.name, $0.value) }) { $1 }
    let suiteHash = "a3f16773346aa79252bdb0c98f263dbbf5d196605e87cc570b1a126bfb2c7acb"
    #expect(properties["flash.image_hash"] == suiteHash)
    #expect(properties["flash.skipped"] == "true")
    #expect(properties["flash.method"] == "none (--no-flash)")
    let ran = try #require(properties["fw.image_hash"])
    #expect(ran.count == 64 && ran != suiteHash, "the factory image ran: \(ran)")
    #expect(properties["fw.is_suite_image"] == "false")
    let junit = try String(contentsOf: folder.appendingPathComponent("junit.xml"), encoding: .utf8)
    #expect(junit.contains(#"<property name="fw.is_suite_image" value="false"/>"#))
    #expect(junit.contains(#"<property name="fw.image_hash" value="\#(ran)"/>"#))
    let events = try String(contentsOf: folder.appendingPathComponent("events.ndjson"), encoding: .utf8)
    #expect(events.contains("--no-flash: the board runs img=\(ran), not this image"))
    try await board.stop()
  }

  @Test("rig flash on a rig without flasher: exits 78 naming the rig file and the fix, the board untouched")
  func flashRefused() async throws {
    let rig = try RigCommand()
    let board = try await SimBoardProcess(rig)
    let hardware = try board.hardwareRig()
    let result = try await rig.run(["flash", FlashCommandTests.image, "--rig", hardware.path])
    #expect(result.status == 78, "\(result.stdout)\n\(result.stderr)")
    #expect(
      result.stderr.contains(
        "error: \(hardware.path): flasher: rig 'sim-hardware' has no flasher:, so "), "\(result.stderr)")
    #expect(result.stderr.contains("(add a flasher: section"))
    #expect(!board.child.stdout.contains("power on"), "the bench was not touched")
    try await board.stop()
  }
}
