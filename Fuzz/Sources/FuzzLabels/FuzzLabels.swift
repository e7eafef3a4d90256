// SPDX-License-Identifier: Apache-2.0
import FuzzSupport

@testable import RigCore

/// `labels.csv`. Invariants: labels read without a problem are written and read back the same;
/// a file with problems gives no more issues than the cap plus its summary, each quoting at
/// most a short excerpt; no label comes from a row with a problem.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabels(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = Fuzz.bytes(data, size)
  var issues: [ConfigIssue] = []
  let labels = LabelsCSV.parse(bytes, file: "labels.csv", into: &issues)
  Fuzz.require(issues.count <= LabelsCSV.maxIssues + 1, "\(issues.count) issues")
  for issue in issues {
    Fuzz.require(issue.description.utf8.count < 600, "a long issue: \(issue.description.prefix(200))")
  }
  for (index, label) in labels.enumerated() {
    Fuzz.require(label.frame == index && label.count >= 0, "label \(index) is \(label)")
  }
  guard issues.isEmpty else { return 0 }
  var again: [ConfigIssue] = []
  let reread = LabelsCSV.parse(Array(LabelsCSV.render(Array(labels)).utf8), file: "x", into: &again)
  Fuzz.require(again.isEmpty && Array(reread) == Array(labels), "labels change when rewritten")
  return 0
}

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutableRawPointer?)
  -> CInt
{
  Fuzz.writeSeedsIfAsked {
    [
      Array("frame,count,in,out\n0,0,0,0\n1,1,0,0\n2,2,1,0\n3,1,1,1\n".utf8),
      Array("\u{FEFF}frame , count\r\n0,3\r\n\r\n1, 2\r\n".utf8),
      Array("frame,count\n0,1\n2,1\n1,x\n".utf8),
    ]
  }
  return 0
}
