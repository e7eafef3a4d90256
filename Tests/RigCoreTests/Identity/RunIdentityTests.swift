// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Run identity")
struct RunIdentityTests {
  @Test("a clip's hash changes with one pixel or one label, not with the folder's name")
  func clipHash() throws {
    let dir = try TemporaryDirectory()
    try dir.writeClip("a/clip", frames: 5)
    let clip = try ClipLoader.load(dir.url.appendingPathComponent("a/clip"))
    let original = try ClipHash.of(clip)
    #expect(original.hasPrefix("sha256:") && original.count == 71)

    try FileManager.default.copyItem(at: dir.url.appendingPathComponent("a"), to: dir.url.appendingPathComponent("b"))
    #expect(try ClipHash.of(try ClipLoader.load(dir.url.appendingPathComponent("b/clip"))) == original)

    let frame = dir.url.appendingPathComponent("a/clip/frames/000003.pgm")
    var bytes = [UInt8](try Data(contentsOf: frame))
    bytes[bytes.count - 1] ^= 1
    try Data(bytes).write(to: frame)
    #expect(try ClipHash.of(clip) != original)

    let labels = dir.url.appendingPathComponent("b/clip/labels.csv")
    try (String(contentsOf: labels, encoding: .utf8) + "\n").write(to: labels, atomically: true, encoding: .utf8)
    #expect(try ClipHash.of(try ClipLoader.load(dir.url.appendingPathComponent("b/clip"))) != original)
  }

  @Test("the word hash sees every byte, whatever the read sizes")
  func wordHash() {
    let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    func hash(_ pieces: [ArraySlice<UInt8>]) -> UInt64 {
      var h = WordHash()
      for piece in pieces { Array(piece).withUnsafeBytes { h.update($0) } }
      return h.value
    }
    let whole = hash([data[...]])
    #expect(hash([data[0..<7], data[7..<333], data[333...]]) == whole)
    var changed = data
    changed[999] ^= 0x80
    #expect(hash([changed[...]]) != whole)
    changed = data
    changed.swapAt(0, 8)
    #expect(hash([changed[...]]) != whole)
  }

  @Test("the commit is read from .git: loose refs, packed refs, worktrees, detached HEAD")
  func commit() throws {
    let dir = try TemporaryDirectory()
    let sha = String(repeating: "a1", count: 20)
    let packed = String(repeating: "b2", count: 20)
    try dir.write("repo/.git/HEAD", "ref: refs/heads/main\n")
    try dir.write("repo/.git/refs/heads/main", sha + "\n")
    try dir.write("repo/suites/s.yaml", "suite: s\n")
    let found = SourceCommit.find(containing: dir.url.appendingPathComponent("repo/suites/s.yaml"))
    #expect(found?.commit == sha && found?.branch == "main")

    try dir.write("repo/.git/packed-refs", "# pack-refs with: peeled\n\(packed) refs/heads/release\n")
    try dir.write("repo/.git/worktrees/wt/HEAD", "ref: refs/heads/release\n")
    try dir.write("repo/.git/worktrees/wt/commondir", "../..\n")
    try dir.write("wt/.git", "gitdir: ../repo/.git/worktrees/wt\n")
    let worktree = SourceCommit.find(containing: dir.url.appendingPathComponent("wt"))
    #expect(worktree?.commit == packed && worktree?.branch == "release")

    try dir.write("detached/.git/HEAD", sha + "\n")
    #expect(SourceCommit.find(containing: dir.url.appendingPathComponent("detached"))?.branch == nil)
    try dir.write("unborn/.git/HEAD", "ref: refs/heads/main\n")
    #expect(SourceCommit.find(containing: dir.url.appendingPathComponent("unborn")) == nil)
  }

  @Test("the CI build comes from each system's own variable")
  func ciBuild() {
    #expect(CIBuild.from(environment: [:]) == nil)
    let github = CIBuild.from(environment: [
      "GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r",
    ])
    #expect(github == CIBuild(system: "github", id: "42", url: "https://github.com/o/r/actions/runs/42"))
    #expect(CIBuild.from(environment: ["CI_PIPELINE_ID": "7"])?.system == "gitlab")
    #expect(CIBuild.from(environment: ["BUILDKITE_BUILD_ID": "x"])?.system == "buildkite")
    #expect(CIBuild.from(environment: ["BUILD_ID": "9", "BUILD_TAG": "jenkins-job-9"])?.id == "jenkins-job-9")
  }

  @Test("every simulator knob is a property named as in the rig file")
  func simulationProperties() {
    var settings = SimulationSettings(seed: 7)
    settings.faults = [SimulatedFault(kind: .slowdown, test: "a", frame: 3, factor: 1.5)]
    let properties = Dictionary(
      SettingsProperties.flatten(settings, prefix: "sim").map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(properties["sim.seed"] == "7")
    #expect(properties["sim.latency.jitter_ms"] == "0.4")
    #expect(properties["sim.boot_time"] == "300ms")
    #expect(properties["sim.faults.0.kind"] == "slowdown")
    #expect(properties["sim.faults.0.factor"] == "1.5")
  }

  @Test("a simulated board has a stable serial of its own rig")
  func simulatedBoard() {
    #expect(BoardIdentity.simulated(rig: "sim") == BoardIdentity.simulated(rig: "sim"))
    #expect(BoardIdentity.simulated(rig: "sim").id != BoardIdentity.simulated(rig: "sim-2").id)
    #expect(BoardIdentity.usbID(vendor: 0x1fc9, product: 0x143, serial: "AB") == "usb:1fc9:0143:AB")
  }
}
