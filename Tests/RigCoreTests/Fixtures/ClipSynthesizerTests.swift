// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite struct ClipSynthesizerTests {
  typealias Scenario = ClipSynthesizer.Scenario

  private func clip(_ scenario: Scenario, seed: UInt64, frames: Int) throws -> SynthesizedClip {
    try ClipSynthesizer(.init(scenario: scenario, seed: seed, frames: frames)).synthesize()
  }

  @Test("the same seed gives byte-identical frames and labels", arguments: Scenario.allCases)
  func sameSeed(_ scenario: Scenario) throws {
    let a = try clip(scenario, seed: 42, frames: 40)
    let b = try clip(scenario, seed: 42, frames: 40)
    #expect(a.frames.map(PGM.encode) == b.frames.map(PGM.encode))
    #expect(a.labels == b.labels)
    #expect(a.manifest == b.manifest)
  }

  @Test("a different seed gives different frames", arguments: Scenario.allCases)
  func differentSeed(_ scenario: Scenario) throws {
    let a = try clip(scenario, seed: 1, frames: 20)
    let b = try clip(scenario, seed: 2, frames: 20)
    #expect(a.frames != b.frames)
  }

  @Test("frames have the requested size and labels one row per frame, numbered from 0")
  func shape() throws {
    var parameters = ClipSynthesizer.Parameters(scenario: .corridorBusy, seed: 3, frames: 25)
    parameters.width = 128
    parameters.height = 64
    let result = try ClipSynthesizer(parameters).synthesize()
    #expect(result.frames.count == 25)
    #expect(result.frames.allSatisfy { $0.width == 128 && $0.height == 64 })
    #expect(result.frames.allSatisfy { $0.pixels.count == 128 * 64 })
    #expect(result.labels.map(\.frame) == Array(0..<25))
    #expect(result.manifest.countingLine == CountingLine(orientation: .horizontal, position: 32))
  }

  @Test(
    "labels are exactly the centres in view and the line crossings of the people placed",
    arguments: [(Scenario.corridorLight, UInt64(7)), (.corridorBusy, 11), (.lightingChange, 5)])
  func labelsMatchPeople(_ scenario: Scenario, seed: UInt64) throws {
    let result = try clip(scenario, seed: seed, frames: 150)
    var ins = 0
    var outs = 0
    for frame in 0..<150 {
      var count = 0
      for person in result.people {
        guard let c = person.centre(atFrame: frame) else { continue }
        if c.x >= 0 && c.x < 96 && c.y >= 0 && c.y < 96 { count += 1 }
        guard frame > 0, let before = person.centre(atFrame: frame - 1) else { continue }
        if before.y < 48 && c.y >= 48 { ins += 1 }
        if before.y >= 48 && c.y < 48 { outs += 1 }
      }
      let label = result.labels[frame]
      #expect(label.count == count, "frame \(frame)")
      #expect(label.inCount == ins && label.outCount == outs, "frame \(frame)")
    }
  }

  @Test("counts never exceed maxPeople; in and out never fall", arguments: Scenario.allCases)
  func bounds(_ scenario: Scenario) throws {
    for seed: UInt64 in 1...6 {
      let result = try clip(scenario, seed: seed, frames: 200)
      let maxPeople = ClipSynthesizer.Parameters(scenario: scenario, seed: seed, frames: 1)
        .maxPeople
      #expect(result.labels.allSatisfy { $0.count >= 0 && $0.count <= maxPeople })
      for (a, b) in zip(result.labels, result.labels.dropFirst()) {
        #expect((a.inCount ?? 0) <= (b.inCount ?? 0) && (a.outCount ?? 0) <= (b.outCount ?? 0))
      }
      #expect(result.labels.first?.inCount == 0 && result.labels.first?.outCount == 0)
    }
  }

  @Test("the busy corridor reaches six people at once")
  func busyReachesSix() throws {
    let result = try clip(.corridorBusy, seed: 11, frames: 200)
    #expect(result.labels.map(\.count).max() == 6)
    #expect(result.people.contains { $0.partner != nil })
  }

  @Test("an empty room has every label zero and no bright pixel")
  func emptyRoom() throws {
    let result = try clip(.emptyRoom, seed: 3, frames: 60)
    #expect(result.people.isEmpty)
    #expect(result.labels.allSatisfy { $0.count == 0 && $0.inCount == 0 && $0.outCount == 0 })
    #expect(result.frames.allSatisfy { TestBlobCounter().count($0) == 0 })
  }

  @Test(
    "every corridor clip has at least one crossing",
    arguments: [Scenario.corridorLight, .corridorBusy, .lightingChange])
  func crossings(_ scenario: Scenario) throws {
    for seed: UInt64 in 1...10 {
      let last = try clip(scenario, seed: seed, frames: 60).labels.last
      #expect((last?.inCount ?? 0) + (last?.outCount ?? 0) >= 1, "seed \(seed)")
    }
  }

  @Test("a simple blob counter agrees with the labels on most corridor-light frames")
  func countable() throws {
    for seed: UInt64 in [1, 2, 7] {
      let result = try clip(.corridorLight, seed: seed, frames: 120)
      let agree = zip(result.frames, result.labels).filter { frame, label in
        TestBlobCounter().count(frame) == label.count
      }.count
      // Disagreements are frames where a body is partly in view but its centre is not.
      #expect(agree >= 108, "seed \(seed): \(agree) of 120 frames agree")
    }
  }

  @Test("with everyone well inside the frame, separate people are separate blobs and pairs touch")
  func separationAndPairs() throws {
    let result = try clip(.corridorBusy, seed: 11, frames: 200)
    var checked = 0
    var pairsSeen = 0
    for (frame, image) in result.frames.enumerated() {
      let present = result.people.filter { $0.centre(atFrame: frame) != nil }
      let wellInside = present.allSatisfy { person in
        guard let c = person.centre(atFrame: frame) else { return true }
        let margin = person.shoulderHalfDepth + 3
        return c.y >= margin && c.y <= 96 - margin
      }
      let somePartlyVisible = present.contains { person in
        guard let c = person.centre(atFrame: frame) else { return false }
        return c.y > -person.shoulderHalfDepth - 2 && c.y < 96 + person.shoulderHalfDepth + 2
      }
      guard wellInside, somePartlyVisible || present.isEmpty else { continue }
      let groups = Set(present.map { min($0.id, $0.partner ?? $0.id) })
      pairsSeen += present.count - groups.count
      #expect(TestBlobCounter().count(image) == groups.count, "frame \(frame)")
      checked += 1
    }
    #expect(checked >= 20)
    #expect(pairsSeen >= 1)
  }

  @Test("the lighting step changes the whole frame's brightness at once")
  func lightingStep() throws {
    let parameters = ClipSynthesizer.Parameters(scenario: .lightingChange, seed: 5, frames: 150)
    let step = try #require(parameters.lightingStep)
    let result = try ClipSynthesizer(parameters).synthesize()
    func median(_ image: PGM.Image) -> Int { Int(image.pixels.sorted()[image.pixels.count / 2]) }
    let before = median(result.frames[step.frame - 1])
    let after = median(result.frames[step.frame])
    #expect(after - before >= 20)
    let drift = abs(median(result.frames[step.frame - 1]) - median(result.frames[step.frame - 2]))
    #expect(drift <= 3)
  }

  @Test("rejects parameters that make no sense, naming each")
  func badParameters() {
    var parameters = ClipSynthesizer.Parameters(scenario: .corridorLight, seed: 1, frames: 0)
    parameters.noise = -1
    parameters.width = 10
    #expect(parameters.problems().count == 3)
    #expect(throws: RigError.self) { try ClipSynthesizer(parameters).synthesize() }
  }

  @Test("writes clip.yaml, labels.csv, LICENSE and frames in the documented format")
  func writesFolder() throws {
    let directory = try FixtureTempFolder()
    let clipURL = directory.url.appendingPathComponent("corridor-light")
    let synth = ClipSynthesizer(.init(scenario: .corridorLight, seed: 7, frames: 12))
    let labels = try synth.write(to: clipURL)
    let yaml = try String(contentsOf: clipURL.appendingPathComponent("clip.yaml"), encoding: .utf8)
    #expect(
      yaml == """
        clip: corridor-light
        format: gray8
        width: 96
        height: 96
        fps: 15
        frames: { pattern: "frames/%06d.pgm", first: 0, count: 12 }
        labels: labels.csv
        counting_line: { orientation: horizontal, position: 48, in: increasing }
        provenance: "generated by rig fixtures synth --scenario corridor-light --seed 7 --frames 12"
        licence: CC0-1.0
        notes: { max_people: "2", noise: "3", scenario: "corridor-light", seed: "7" }

        """)
    let csv = try String(contentsOf: clipURL.appendingPathComponent("labels.csv"), encoding: .utf8)
    let rows = csv.split(separator: "\n")
    #expect(rows.first == "frame,count,in,out")
    #expect(rows.count == 13)
    #expect(rows.dropFirst().map { Int($0.split(separator: ",")[0]) } == Array(0..<12))
    #expect(labels.count == 12)
    let licence = try String(contentsOf: clipURL.appendingPathComponent("LICENSE"), encoding: .utf8)
    #expect(licence.contains("CC0") && licence.contains("public domain"))
    let memory = try synth.synthesize()
    for index in [0, 11] {
      let file = try Data(
        contentsOf: clipURL.appendingPathComponent(String(format: "frames/%06d.pgm", index)))
      #expect([UInt8](file) == PGM.encode(memory.frames[index]))
    }
  }

  @Test("refuses to write into a folder that holds files, unless replacing")
  func refusesNonEmpty() throws {
    let directory = try FixtureTempFolder()
    let stray = directory.url.appendingPathComponent("notes.txt")
    try Data("keep me".utf8).write(to: stray)
    let synth = ClipSynthesizer(.init(scenario: .emptyRoom, seed: 1, frames: 3))
    #expect(throws: RigError.self) { try synth.write(to: directory.url) }
    try synth.write(to: directory.url, replacing: true)
    #expect(FileManager.default.fileExists(atPath: stray.path))
    try synth.write(to: directory.url, replacing: true)
    let frames = try FileManager.default.contentsOfDirectory(
      atPath: directory.url.appendingPathComponent("frames").path)
    #expect(frames.sorted() == ["000000.pgm", "000001.pgm", "000002.pgm"])
  }
}
