// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("Per-frame evidence (FrameSeries)")
struct FrameSeriesTests {
  static let sample = FrameSeries([
    .init(index: 0, label: 0, count: 0, latencyMicroseconds: 34_550, stackHeapBytes: 6144, finding: .matched),
    .init(index: 1, label: 2, count: 3, latencyMicroseconds: 36_010, stackHeapBytes: 6528, finding: .matched),
    .init(index: 2, label: 2, count: nil, latencyMicroseconds: nil, stackHeapBytes: nil, finding: .dropped),
    .init(index: 3, label: 1, count: nil, latencyMicroseconds: 35_000, stackHeapBytes: 6528, finding: .matched),
    .init(index: 5, label: 1, count: 1, latencyMicroseconds: 35_100, stackHeapBytes: 6720, finding: .damaged),
  ])

  @Test("reads back every column as appended, absent values as nil")
  func columns() {
    let s = Self.sample
    #expect(s.count == 5)
    #expect(s[1] == .init(index: 1, label: 2, count: 3, latencyMicroseconds: 36_010, stackHeapBytes: 6528, finding: .matched))
    #expect(s[2].count == nil && s[2].latencyMicroseconds == nil && s[2].stackHeapBytes == nil)
    #expect(s[1].latencyMilliseconds == 36.01)
  }

  @Test("compact bytes round-trip, and take few bytes per frame")
  func compact() throws {
    let data = Self.sample.compactData()
    #expect(try FrameSeries(compactData: data) == Self.sample)
    var long = FrameSeries()
    for i in 0..<1000 {
      long.append(.init(
        index: i, label: i / 100, count: i / 100, latencyMicroseconds: 35_000 + (i * 37) % 900,
        stackHeapBytes: 6144 + 192 * (i / 100), finding: .matched))
    }
    let bytes = long.compactData()
    #expect(try FrameSeries(compactData: bytes) == long)
    #expect(bytes.count < 8 * 1000)
    #expect(try FrameSeries(compactData: FrameSeries().compactData()).isEmpty)
  }

  @Test("damaged compact bytes are an error, never a crash or a wrong series")
  func damagedCompact() {
    let data = Self.sample.compactData()
    #expect(throws: FrameSeries.CompactDecodingError.self) { try FrameSeries(compactData: data.prefix(data.count - 3)) }
    #expect(throws: FrameSeries.CompactDecodingError.self) { try FrameSeries(compactData: Data([2, 0])) }
    #expect(throws: FrameSeries.CompactDecodingError.self) { try FrameSeries(compactData: Data()) }
    var wrongFinding = data
    wrongFinding[wrongFinding.count - 1] = 99
    #expect(throws: FrameSeries.CompactDecodingError.self) { try FrameSeries(compactData: wrongFinding) }
  }

  @Test("a runner's frame outcome keeps its latency and memory; a device error is not scored")
  func fromOutcome() {
    let cycles = StageCycles(capture: 600_000, preprocess: 0, invoke: 20_400_000, postprocess: 0)
    func report(_ status: String) -> FrameReport {
      FrameReport(
        sequence: 1, frameCRC: 7, length: 9216, count: 2, inCount: 0, outCount: 0, cycles: cycles,
        stackHighWater: 6000, heapHighWater: 144, status: status)
    }
    var s = FrameSeries()
    s.append(FrameOutcome(index: 4, label: FrameLabel(frame: 4, count: 2), report: report("ok"), sentCRC: 7, finding: .matched, cpuHz: 600_000_000))
    s.append(FrameOutcome(index: 5, label: FrameLabel(frame: 5, count: 2), report: report("invoke_fail"), sentCRC: 8, finding: .matched, cpuHz: 600_000_000))
    s.append(FrameOutcome(index: 6, label: FrameLabel(frame: 6, count: 1), report: nil, sentCRC: 9, finding: .dropped, cpuHz: 600_000_000))
    #expect(s[0] == .init(index: 4, label: 2, count: 2, latencyMicroseconds: 35_000, stackHeapBytes: 6144, finding: .matched))
    #expect(s[1].count == nil && s[1].latencyMicroseconds == 35_000)
    #expect(s[2] == .init(index: 6, label: 1, count: nil, latencyMicroseconds: nil, stackHeapBytes: nil, finding: .dropped))
  }

  @Test("reads a run's frames.csv back")
  func csv() throws {
    let text = FramesCSVWriter.header + """
      0,0,0,0,,0,,0,34.550,2.100,24.000,6000,144,1A2B3C4D,1A2B3C4D,ok,matched
      1,2,,,,,,,,,,,,00000001,,,dropped
      2,2,3,1,,1,,0,36.010,2.100,24.500,6384,144,00000002,00000002,ok,matched
      3,1,9,8,,1,,0,35.000,2.100,24.000,6384,144,00000003,00000003,invoke_fail,matched

      """
    let s = try FrameSeries(framesCSV: text)
    #expect(s.count == 4)
    #expect(s[0] == .init(index: 0, label: 0, count: 0, latencyMicroseconds: 34_550, stackHeapBytes: 6144, finding: .matched))
    #expect(s[1] == .init(index: 1, label: 2, count: nil, latencyMicroseconds: nil, stackHeapBytes: nil, finding: .dropped))
    #expect(s[2].count == 3 && s[2].stackHeapBytes == 6528)
    #expect(s[3].count == nil && s[3].latencyMicroseconds == 35_000)
  }

  @Test("a malformed frames.csv names the line and the problem")
  func csvErrors() {
    #expect(throws: FrameSeries.CSVError(line: 1, problem: "no 'frame' column: this is not a rig frames.csv")) {
      try FrameSeries(framesCSV: "a,b\n1,2\n")
    }
    let bad = FramesCSVWriter.header + "0,x,0,0,,0,,0,34.550,2.100,24.000,6000,144,1,1,ok,matched\n"
    #expect(throws: FrameSeries.CSVError.self) { try FrameSeries(framesCSV: bad) }
    let short = FramesCSVWriter.header + "0,1\n"
    #expect(throws: FrameSeries.CSVError(line: 2, problem: "2 fields where the header has 17")) {
      try FrameSeries(framesCSV: short)
    }
  }
}
