// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Reading frames.csv for the HTML report")
struct FrameTableParserTests {
  static let csv = """
    frame,label_count,count,count_error,label_in,in,label_out,out,latency_ms,capture_ms,invoke_ms,stack_bytes,heap_bytes,sent_crc32,read_crc32,status,finding
    0,1,1,0,0,0,0,0,34.122,9.290,24.0,6144,0,DEADBEEF,DEADBEEF,ok,matched
    1,2,3,1,0,0,1,1,35.001,9.290,24.8,6200,16,0000AAAA,0000AAAA,ok,matched
    2,2,,,0,,1,,,,,,,0000BBBB,,,dropped
    3,2,7,5,0,0,1,1,35.500,9.290,24.8,6100,0,0000CCCC,0000DDDD,ok,damaged
    4,2,2,0,0,0,1,1,36.000,9.290,24.8,6100,0,0000EEEE,0000EEEE,len_invalid,matched

    """

  @Test("reads every column by its header name")
  func columns() {
    let t = FrameTableParser.parse(Self.csv)
    #expect(t.rowCount == 5)
    #expect(t.frame == [0, 1, 2, 3, 4])
    #expect(t.label == [1, 2, 2, 2, 2])
    #expect(t.count == [1, 3, FrameTable.none, 7, 2])
    #expect(t.outCount[1] == 1 && t.labelOut[1] == 1)
    #expect(t.latency[0] == Float(34.122))
    #expect(t.latency[2].isNaN)
    #expect(t.stack == [6144, 6200, FrameTable.none, 6100, 6100])
    #expect(t.heap[1] == 16)
    #expect((0..<5).map(t.findingName) == ["matched", "matched", "dropped", "damaged", "matched"])
    #expect(t.statusName(4) == "len_invalid" && t.statusName(2) == "")
    #expect(t.unreadableRows == 0)
  }

  @Test("scores, wrong counts and anomalies follow the runner's rules")
  func classification() {
    let t = FrameTableParser.parse(Self.csv)
    #expect((0..<5).map(t.isScored) == [true, true, false, false, false])
    #expect((0..<5).map(t.isWrong) == [false, true, false, false, false])
    #expect((0..<5).map(t.anomaly) == [nil, nil, "dropped", "damaged", "status len_invalid"])
    let marks = FrameRanges.collect(t)
    #expect(marks.wrong.ranges == [1..<2])
    #expect(marks.findings.map(\.kind) == ["dropped", "damaged", "status len_invalid"])
  }

  @Test("gives the same table whatever the chunks' sizes")
  func chunks() {
    let bytes = Array(Self.csv.utf8)
    let whole = FrameTableParser.parse(Self.csv)
    for size in [1, 2, 7, 64, 4096] {
      var parser = FrameTableParser()
      var start = 0
      while start < bytes.count {
        parser.consume(bytes[start..<min(start + size, bytes.count)])
        start += size
      }
      #expect(parser.finish() == whole, "chunks of \(size)")
    }
  }

  @Test("skips damaged lines and counts them; reads CRLF and a last line without newline")
  func damage() {
    let text = Self.csv.split(separator: "\n").prefix(3).joined(separator: "\r\n")
      + "\r\ngarbage line\n9,9,9\n-3,1,1,0,0,0,0,0,1.000,1,1,1,0,A,A,ok,matched\n"
      + "7,1,1,0,0,0,0,0,34.000,9.290,24.0,6144,0,AB,AB,ok,matched"
    let t = FrameTableParser.parse(text)
    #expect(t.frame == [0, 1, 7])
    #expect(t.unreadableRows == 3)
  }

  @Test("a file without a header reads as no rows, not as a crash")
  func noHeader() {
    let t = FrameTableParser.parse("1,2,3\n4,5,6\n")
    #expect(t.rowCount == 0)
    #expect(t.unreadableRows == 2)
    #expect(FrameTableParser.parse("").rowCount == 0)
  }

  @Test("sorts rows that resolved out of order")
  func order() {
    let header = "frame,label_count,count,status,finding\n"
    let t = FrameTableParser.parse(header + "2,1,1,ok,matched\n0,1,2,ok,matched\n1,1,,,dropped\n")
    #expect(t.frame == [0, 1, 2])
    #expect(t.count == [2, FrameTable.none, 1])
    #expect(t.frameSpan == 3)
  }

  @Test("numbers: signs, overflow, decimals")
  func numbers() {
    func int(_ s: String) -> Int32? { Array(s.utf8).withUnsafeBufferPointer(FrameTableParser.integer) }
    func dec(_ s: String) -> Double? { Array(s.utf8).withUnsafeBufferPointer(FrameTableParser.decimal) }
    #expect(int("-12") == -12 && int("0") == 0 && int("") == nil && int("-") == nil && int("1x") == nil)
    #expect(int("99999999999") == nil && int("2147483647") == Int32.max)
    #expect(dec("12.345") == 12.345 && dec("-0.5") == -0.5 && dec("3") == 3)
    #expect(dec("1.2.3") == nil && dec("nan") == nil && dec("") == nil)
  }
}
