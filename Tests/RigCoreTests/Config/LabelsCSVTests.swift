// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct LabelsCSVTests {
  @Test("reads counts with and without line crossings")
  func reads() throws {
    #expect(
      try LabelsCSV.parse("frame,count\n0,0\n1,2\n")
        == [FrameLabel(frame: 0, count: 0), FrameLabel(frame: 1, count: 2)])
    #expect(
      try LabelsCSV.parse("frame,count,in,out\n0,1,0,0\n1,1,1,0\n")
        == [
          FrameLabel(frame: 0, count: 1, inCount: 0, outCount: 0),
          FrameLabel(frame: 1, count: 1, inCount: 1, outCount: 0),
        ])
  }

  @Test("tolerates a byte order mark, CRLF, spaces and blank lines")
  func tolerant() throws {
    let text = "\u{FEFF}Frame, Count\r\n0, 3\r\n\r\n 1 ,4\r\n"
    #expect(
      try LabelsCSV.parse(text) == [FrameLabel(frame: 0, count: 3), FrameLabel(frame: 1, count: 4)])
  }

  @Test("renders what it parses")
  func roundTrip() throws {
    let labels = (0..<50).map {
      FrameLabel(frame: $0, count: $0 % 4, inCount: $0 / 5, outCount: $0 / 7)
    }
    #expect(try LabelsCSV.parse(LabelsCSV.render(labels)) == labels)
    let counts = (0..<3).map { FrameLabel(frame: $0, count: $0) }
    #expect(LabelsCSV.render(counts) == "frame,count\n0,0\n1,1\n2,2\n")
  }

  @Test("every bad row is an issue at its line and column")
  func badRows() {
    let text = """
      frame,count,in,out
      0,0,0,0
      1,1,0
      2,x,0,0
      4,1,0,0
      5,1,3,1
      6,1,2,0
      6,1,2,1
      """
    let found = issues { () throws(ConfigError) in try LabelsCSV.parse(text, file: "l.csv") }
    #expect(
      brief(found) == [
        "3:1: expected 4 fields (frame,count,in,out), found 3",
        "4:3: count must be a whole number 0 or more, found 'x'",
        "5:1: expected frame 3, found 4",
        "7:5: in went down from 3 to 2",
        "7:7: out went down from 1 to 0",
        "8:1: expected frame 7, found 6",
      ])
    #expect(found.allSatisfy { $0.location.file == "l.csv" })
  }

  @Test("a wrong or missing header stops with one issue")
  func headers() {
    let cases = [
      ("0,1\n1,1\n", "1:1: the header line is missing"),
      ("frame,people\n0,1\n", "1:1: unexpected header 'frame,people'"),
      ("frame,count,in\n0,1,0\n", "1:13: the in and out columns come together"),
      ("", "0:0: the labels file is empty"),
    ]
    for (text, expected) in cases {
      #expect(brief(issues { () throws(ConfigError) in try LabelsCSV.parse(text) }) == [expected])
    }
  }

  @Test("a file full of mistakes is summed up after the first fifty")
  func issueCap() {
    let text = "frame,count\n" + (0..<200).map { "\($0),?\n" }.joined()
    let found = issues { () throws(ConfigError) in try LabelsCSV.parse(text) }
    #expect(found.count == LabelsCSV.maxIssues + 1)
    #expect(found.last?.message == "150 more problems in this file not shown")
  }
}
