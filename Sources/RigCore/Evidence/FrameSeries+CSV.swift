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
    var text = text
    // Read from the UTF-8 bytes in place: a history import reads 100,000 rows, and splitting each
    // into Substrings and converting them costs more than everything else.
    try text.withUTF8 { try self.read(csv: $0) }
  }

  private mutating func read(csv bytes: UnsafeBufferPointer<UInt8>) throws {
    let newline = UInt8(ascii: "\n")
    var lineStart = 0
    func nextLine() -> Range<Int>? {
      guard lineStart < bytes.count else { return nil }
      let end = bytes[lineStart...].firstIndex(of: newline) ?? bytes.count
      defer { lineStart = end + 1 }
      return lineStart..<end
    }
    guard let headerLine = nextLine() else { return }
    let names = String(decoding: UnsafeBufferPointer(rebasing: bytes[headerLine]), as: UTF8.self)
      .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
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
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(names.count)
    while let line = nextLine() {
      lineNumber += 1
      if line.isEmpty { continue }
      ranges.removeAll(keepingCapacity: true)
      var fieldStart = line.lowerBound
      for i in line where bytes[i] == UInt8(ascii: ",") {
        ranges.append(fieldStart..<i)
        fieldStart = i + 1
      }
      ranges.append(fieldStart..<line.upperBound)
      guard ranges.count == names.count else {
        throw CSVError(line: lineNumber, problem: "\(ranges.count) fields where the header has \(names.count)")
      }
      func text(_ i: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[ranges[i]]), as: UTF8.self) }
      func integer(_ i: Int) throws -> Int? {
        if ranges[i].isEmpty { return nil }
        if let value = CSVNumber.integer(bytes, ranges[i]) { return value }
        throw CSVError(line: lineNumber, problem: "'\(text(i))' in column \(names[i]) is not a whole number")
      }
      guard let index = try integer(frame), let labelCount = try integer(label) else {
        throw CSVError(line: lineNumber, problem: "a frame row needs its frame index and label count")
      }
      guard let kind = CSVNumber.finding(bytes, ranges[finding]) ?? FrameOutcome.Finding(rawValue: text(finding)) else {
        throw CSVError(line: lineNumber, problem: "unknown finding '\(text(finding))'")
      }
      var micros: Int?
      if !ranges[latency].isEmpty {
        if let fast = CSVNumber.thousandths(bytes, ranges[latency]) {
          micros = fast
        } else if let ms = Double(text(latency)) {
          micros = Int((ms * 1000).rounded())
        } else {
          throw CSVError(line: lineNumber, problem: "'\(text(latency))' in column latency_ms is not a number")
        }
      }
      let stackBytes = try integer(stack), heapBytes = try integer(heap)
      let reported = stackBytes != nil
      let ok = bytes[ranges[status]].elementsEqual("ok".utf8)
      append(Frame(
        index: index, label: labelCount, count: ok ? try integer(count) : nil,
        latencyMicroseconds: reported ? micros : nil,
        stackHeapBytes: stackBytes.map { $0 + (heapBytes ?? 0) }, finding: kind))
    }
  }
}

/// The number forms `frames.csv` is written in, read straight from bytes.
enum CSVNumber {
  /// An optionally signed decimal integer, or nil for anything else (then the caller reports it).
  static func integer(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    var i = range.lowerBound
    var negative = false
    if bytes[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    guard i < range.upperBound, range.upperBound - i <= 18 else { return nil }
    var value = 0
    while i < range.upperBound {
      let digit = Int(bytes[i]) - 48
      guard digit >= 0 && digit <= 9 else { return nil }
      value = value * 10 + digit
      i += 1
    }
    return negative ? -value : value
  }

  /// `34.550` as 34550: digits, a point and at most three decimals (how rig writes latency);
  /// nil for other forms, which the caller reads as a `Double`.
  static func thousandths(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
    guard let point = range.firstIndex(where: { bytes[$0] == UInt8(ascii: ".") }),
      point > range.lowerBound, range.upperBound - point - 1 <= 3,
      let whole = integer(bytes, range.lowerBound..<point), whole >= 0
    else { return nil }
    var fraction = 0
    var digits = 0
    for i in (point + 1)..<range.upperBound {
      let digit = Int(bytes[i]) - 48
      guard digit >= 0 && digit <= 9 else { return nil }
      fraction = fraction * 10 + digit
      digits += 1
    }
    while digits < 3 {
      fraction *= 10
      digits += 1
    }
    return whole * 1000 + fraction
  }

  /// The common finding, without making a String of it.
  static func finding(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> FrameOutcome.Finding? {
    bytes[range].elementsEqual("matched".utf8) ? .matched : nil
  }
}
