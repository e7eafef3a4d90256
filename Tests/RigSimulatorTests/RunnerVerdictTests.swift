// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigSimulator
import RigTestSupport
import Testing

/// What a test's verdict rests on: a test that measured nothing cannot pass.
@Suite("runner: verdicts need measurements", .timeLimit(.minutes(TestTime.minutes(1))))
struct RunnerVerdictTests {
  @Test("a clip the DUT cannot decode, no limits set: errored, saying nothing was scored and why")
  func nothingScored() async throws {
    var files: [String: [UInt8]] = [
      "clips/undecodable/clip.yaml": Array(
        """
        clip: undecodable
        format: jpeg
        width: 96
        height: 96
        fps: 15
        frames: { pattern: "frames/%02d.jpg", first: 0, count: 10 }
        labels: labels.csv
        licence: CC0-1.0
        """.utf8),
      "clips/undecodable/labels.csv": Array(("frame,count\n" + (0..<10).map { "\($0),0\n" }.joined()).utf8),
    ]
    for index in 0..<10 {
      // A JPEG stream in name only: start and end markers around noise.
      files[String(format: "clips/undecodable/frames/%02d.jpg", index)] =
        [0xFF, 0xD8] + (0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + index) } + [0xFF, 0xD9]
    }
    let h = try RunnerHarness(
      suite: """
        suite: undecodable
        tests:
          - { name: jpeg, clip: clips/undecodable }
        """,
      files: files)
    let result = await h.start().value
    let test = try #require(result.tests.first)
    #expect(test.frames.matched == 10 && test.frames.deviceErrors == 10, "\(test.frames)")
    #expect(test.metric(.framesScored) == 0)
    #expect(test.verdict == .errored)
    #expect(test.errorType == "NothingMeasured")
    #expect(
      test.message == "nothing was measured: all 10 frames the DUT reported carry an error status "
        + "(decode_fail 10), so no count, latency or RAM figure exists", "\(test.message ?? "")")
    await h.close()
  }
}
