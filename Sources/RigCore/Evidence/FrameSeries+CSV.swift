// SPDX-License-Identifier: Apache-2.0

/// Reads a test's `frames.csv` (the attachment every run writes) back into a `FrameSeries`, so
/// history can be rebuilt from report folders and a run folder compared without a database.
extension FrameSeries {
  public struct CSVError: Error, CustomStringConvertible, Equatable {
    /// 1-based line of the file.
    public var line: Int
    public var problem: String
    public var description: String { "line \(line): \(problem)" }
  }

  /// - Throws: `CSVError` naming the line when a row does not parse or a needed column is absent.
  public init(framesCSV text: String) throws {
    self.init()
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
    guard let header = lines.next() else { return }
    let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    func column(_ name: String) throws -> Int {
      guard let index = names.firstIndex(of: name) else {
        throw CSVError(line: 1, problem: "no '\(name)' column: this is not a rig frames.csv")
      }
      return index
    }
    let frame = try column("frame"), label = try column("label_count"), count = try column("count")
    let latency = try column("latency_ms"), stack = try column("stack_bytes")
    let heap = try column("heap_bytes"), status = try column("status"), finding = try column("finding")
    var lineNumber = 1
    while let line = lines.next() {
      lineNumber += 1
      if line.isEmpty { continue }
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      guard fields.count == names.count else {
        throw CSVError(line: lineNumber, problem: "\(fields.count) fields where the header has \(names.count)")
      }
      func integer(_ i: Int) throws -> Int? {
        if fields[i].isEmpty { return nil }
        guard let v = Int(fields[i]) else {
          throw CSVError(line: lineNumber, problem: "'\(fields[i])' in column \(names[i]) is not a whole number")
        }
        return v
      }
      guard let index = try integer(frame), let labelCount = try integer(label) else {
        throw CSVError(line: lineNumber, problem: "a frame row needs its frame index and label count")
      }
      guard let kind = FrameOutcome.Finding(rawValue: String(fields[finding])) else {
        throw CSVError(line: lineNumber, problem: "unknown finding '\(fields[finding])'")
      }
      var micros: Int?
      if !fields[latency].isEmpty {
        guard let ms = Double(fields[latency]) else {
          throw CSVError(line: lineNumber, problem: "'\(fields[latency])' in column latency_ms is not a number")
        }
        micros = Int((ms * 1000).rounded())
      }
      let stackBytes = try integer(stack), heapBytes = try integer(heap)
      let reported = stackBytes != nil
      append(Frame(
        index: index, label: labelCount, count: fields[status] == "ok" ? try integer(count) : nil,
        latencyMicroseconds: reported ? micros : nil,
        stackHeapBytes: stackBytes.map { $0 + (heapBytes ?? 0) }, finding: kind))
    }
  }
}
