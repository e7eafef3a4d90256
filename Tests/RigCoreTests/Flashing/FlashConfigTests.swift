// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import Testing

@Suite struct FlashConfigTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("rig-flashcfg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  private func rig(_ flash: String) throws -> URL {
    let url = folder.appendingPathComponent("rig.yaml")
    try Data("rig: r\nboard: virtual-rt1062\nsimulated:\n  flash: \(flash)\n".utf8).write(to: url)
    return url
  }

  @Test("simulated.flash is read with its file relative to the rig file and its faults")
  func reads() throws {
    let rig = try RigLoader.load(try rig(
      "{ file: state/f.bin, size: 4096, baud: 921600, faults: [ { kind: nak, command: write_memory, frame: 1, times: 2 } ] }"))
    let flash = try #require(rig.simulation?.flash)
    #expect(flash.file == folder.appendingPathComponent("state/f.bin").standardizedFileURL)
    #expect(flash.sizeBytes == 4096 * 1024)
    #expect(flash.baud == 921_600)
    #expect(flash.faults == [SimulatedFlashFault(kind: .nak, command: "write_memory", frame: 1, times: 2)])
  }

  @Test("without file: the flash persists under XDG_STATE_HOME named after the rig")
  func defaultFile() {
    let url = SimulatedFlashSettings.defaultFile(rig: "bench-7", environment: ["XDG_STATE_HOME": "/var/state", "HOME": "/home/u"])
    #expect(url.path == "/var/state/rig/bench-7/flash.bin")
    #expect(SimulatedFlashSettings.defaultFile(rig: "b", environment: ["HOME": "/home/u"]).path == "/home/u/.local/state/rig/b/flash.bin")
  }

  @Test("unknown fault kinds and commands, and NAKs aimed at SDP, are reported with their place")
  func badFaults() throws {
    let url = try rig("{ faults: [ { kind: nack }, { kind: nak, command: write_memroy }, { kind: crc_error, command: write_file } ] }")
    let error = #expect(throws: ConfigError.self) { try RigLoader.load(url) }
    let text = error?.issues.map(\.description).joined(separator: "\n") ?? ""
    #expect(text.contains("simulated.flash.faults[0].kind"), "\(text)")
    #expect(text.contains("unknown command 'write_memroy'"), "\(text)")
    #expect(text.contains("SDP has no frames to damage"), "\(text)")
  }

  @Test("a flash event becomes the run's flash.* properties")
  func properties() {
    let events = [
      TimedEvent(.flash(FlashReport(
        bytes: 1000, seconds: 0.5, skipped: false, method: "native", imageHash: "ab", linkBytesPerSecond: 11520)))
    ]
    let properties = Dictionary(
      uniqueKeysWithValues: RunResultBuilder.properties(from: events).map { ($0.name, $0.value) })
    #expect(properties["flash.skipped"] == "false")
    #expect(properties["flash.bytes"] == "1000")
    #expect(properties["flash.seconds"] == "0.500")
    #expect(properties["flash.bytes_per_s"] == "2000")
    #expect(properties["flash.link_bytes_per_s"] == "11520")
    #expect(properties["flash.image_hash"] == "ab")
  }

  @Test("a suite's firmware image is checked when the suite loads: a RAM-linked .bin address is refused")
  func suiteImageChecked() throws {
    let image = folder.appendingPathComponent("fw.bin")
    try Data([1, 2, 3]).write(to: image)
    let suite = folder.appendingPathComponent("s.yaml")
    try Data("suite: s\nfirmware: { image: fw.bin, address: 0x20000000 }\ntests: []\n".utf8).write(to: suite)
    let error = #expect(throws: ConfigError.self) { try SuiteLoader.load(suite) }
    #expect(error?.issues.contains { $0.description.contains("lie outside FlexSPI NOR") } == true)
  }
}
