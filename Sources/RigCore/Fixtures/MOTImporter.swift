// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Turns MOT Challenge ground truth (`gt/gt.txt`, MOT16/17/20 layout) into per-frame labels.
///
/// Each row is `frame, id, left, top, width, height, flag, class, visibility` (frames 1-based,
/// boxes in pixels from the top-left corner). A frame's **count** is the number of rows with
/// class 1 (pedestrian) and flag 1 (considered), optionally also with visibility ≥
/// `visibilityThreshold` and a box centre inside `regionOfInterest`. **In/out** come from each
/// track's box centre crossing `countingLine` between consecutive observations of the track
/// (class 1, flag 1, whatever their visibility or position), with the rule of `LineCrossing`;
/// the crossing is counted at the later observation. Labels are 0-based: MOT frame 1 is frame 0.
public struct MOTImporter: Sendable {
  /// Ground truth of the longest MOT sequences is a few tens of MB.
  public static let maxGTBytes = 256 << 20
  /// A clip holds at most this many frames (`frames.count`); a MOT frame number beyond it is
  /// refused before any per-frame table is made.
  public static let maxFrames = LabelsCSV.maxRows

  /// A rectangle of the image, pixels from the top-left corner.
  public struct Region: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    /// The rectangle with top-left corner (`x`, `y`).
    public init(x: Double, y: Double, width: Double, height: Double) {
      self.x = x
      self.y = y
      self.width = width
      self.height = height
    }

    /// Whether (`px`, `py`) lies inside: left and top edges included, right and bottom not.
    public func contains(x px: Double, y py: Double) -> Bool {
      px >= x && px < x + width && py >= y && py < y + height
    }

    /// `x,y,width,height`, the form the manifest notes record.
    public var description: String {
      [x, y, width, height].map(ClipSynthesizer.format).joined(separator: ",")
    }
  }

  /// Choices that change the answer; all are recorded in the clip's notes.
  public struct Options: Sendable, Equatable {
    /// τ: rows with a lower visibility ratio are not counted (0 counts every row).
    public var visibilityThreshold: Double
    /// When set, only boxes whose centre lies inside are counted.
    public var regionOfInterest: Region?
    /// When set, labels carry cumulative in/out crossings of this line.
    public var countingLine: CountingLine?

    /// Counts every considered pedestrian and no crossings unless told otherwise.
    public init(
      visibilityThreshold: Double = 0, regionOfInterest: Region? = nil,
      countingLine: CountingLine? = nil
    ) {
      self.visibilityThreshold = visibilityThreshold
      self.regionOfInterest = regionOfInterest
      self.countingLine = countingLine
    }
  }

  /// One ground-truth row.
  public struct Row: Sendable, Equatable {
    /// 1-based, as in the file.
    public var frame: Int
    public var id: Int
    public var left: Double
    public var top: Double
    public var width: Double
    public var height: Double
    public var flag: Int
    public var classID: Int
    public var visibility: Double
    /// 1-based line in the file.
    public var line: Int

    /// The box centre: the reference point for the region of interest and the counting line.
    public var centre: (x: Double, y: Double) { (left + width / 2, top + height / 2) }
  }

  /// What to count and where the line is.
  public var options: Options

  /// An importer with `options`.
  public init(options: Options = Options()) {
    self.options = options
  }

  /// What the import decided, for the manifest's `notes:`.
  public var notes: [String: String] {
    var notes = [
      "source": "MOT Challenge gt.txt",
      "counted": "class 1 (pedestrian), flag 1",
      "reference_point": "box centre",
      "visibility_min": ClipSynthesizer.format(options.visibilityThreshold),
    ]
    if let roi = options.regionOfInterest { notes["roi"] = roi.description }
    return notes
  }

  /// Labels for a sequence of `frameCount` frames (or up to the last frame in the file when
  /// nil) from the text of a `gt.txt`; `file` names it in issues. Every bad row is reported.
  public func labels(fromGT text: String, file: String = "gt.txt", frameCount: Int? = nil)
    throws(ConfigError) -> [FrameLabel]
  {
    let rows = try Self.parse(text, file: file, frameCount: frameCount)
    let frames = frameCount ?? (rows.map(\.frame).max() ?? 0)
    guard frames > 0 else {
      throw ConfigError([
        ConfigIssue(
          location: SourceLocation(file: file),
          message: "holds no rows, so the frame count is unknown",
          hint: "give the sequence's seqinfo.ini, which states seqLength")
      ])
    }
    return labels(from: rows, frameCount: frames)
  }

  /// Labels from a `gt.txt` file.
  public func labels(
    gtFile url: URL, frameCount: Int? = nil, files: any FileAccess
  ) throws -> [FrameLabel] {
    let text = try MOTSequenceInfo.readText(
      url, limit: Self.maxGTBytes, what: "the MOT ground truth",
      hint: "a MOT sequence keeps it in gt/gt.txt", files: files)
    return try labels(fromGT: text, file: url.displayPath, frameCount: frameCount)
  }

  /// Imports a MOT sequence folder: `gt/gt.txt`, sized by `seqinfo.ini` when present.
  public func importSequence(at directory: URL, files: any FileAccess)
    throws -> MOTImport
  {
    let infoURL = directory.appendingPathComponent("seqinfo.ini")
    let info =
      files.kind(of: infoURL.path) == .missing
      ? nil : try MOTSequenceInfo.load(infoURL, files: files)
    let gt = directory.appendingPathComponent("gt/gt.txt")
    let labels = try labels(gtFile: gt, frameCount: info?.frameCount, files: files)
    var notes = notes
    if let name = info?.name { notes["sequence"] = name }
    return MOTImport(
      labels: labels, sequenceInfo: info, countingLine: options.countingLine, notes: notes)
  }

  /// Per-frame labels from parsed rows (frames 1…`frameCount`).
  public func labels(from rows: [Row], frameCount: Int) -> [FrameLabel] {
    let frameCount = max(0, frameCount)
    var counts = [Int](repeating: 0, count: frameCount)
    var ins = [Int](repeating: 0, count: frameCount)
    var outs = [Int](repeating: 0, count: frameCount)
    var tracks: [Int: [Row]] = [:]
    for row in rows
    where row.classID == 1 && row.flag == 1 && row.frame >= 1
      && row.frame <= frameCount
    {
      tracks[row.id, default: []].append(row)
      let c = row.centre
      if row.visibility >= options.visibilityThreshold,
        options.regionOfInterest?.contains(x: c.x, y: c.y) ?? true
      {
        counts[row.frame - 1] += 1
      }
    }
    if let line = options.countingLine {
      for (_, track) in tracks {
        let ordered = track.sorted { $0.frame < $1.frame }
        for (a, b) in zip(ordered, ordered.dropFirst()) {
          switch LineCrossing.between(a.centre, b.centre, line: line) {
          case .in: ins[b.frame - 1] += 1
          case .out: outs[b.frame - 1] += 1
          case nil: break
          }
        }
      }
    }
    var labels: [FrameLabel] = []
    labels.reserveCapacity(frameCount)
    var totalIn = 0
    var totalOut = 0
    for i in 0..<frameCount {
      totalIn += ins[i]
      totalOut += outs[i]
      let withLine = options.countingLine != nil
      labels.append(
        FrameLabel(
          frame: i, count: counts[i], inCount: withLine ? totalIn : nil,
          outCount: withLine ? totalOut : nil))
    }
    return labels
  }

  /// Parses every row of a `gt.txt`, collecting an issue with line and column for each bad one.
  public static func parse(_ text: String, file: String = "gt.txt", frameCount: Int? = nil)
    throws(ConfigError) -> [Row]
  {
    var rows: [Row] = []
    var issues: [ConfigIssue] = []
    // (frame, id) → line, to find a track listed twice in one frame.
    var firstSeen: [Int: [Int: Int]] = [:]
    var lineNumber = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
      switch parseRow(line, lineNumber: lineNumber, file: file) {
      case .bad(let issue):
        issues.append(issue)
      case .row(let row):
        if let frameCount, row.frame > frameCount {
          issues.append(
            ConfigIssue(
              location: SourceLocation(file: file, line: lineNumber, column: 1), path: "frame",
              message: "frame \(row.frame) is beyond the sequence's \(frameCount) frames",
              hint: "check seqLength in seqinfo.ini, or that this gt.txt belongs to the sequence"))
          continue
        }
        if let earlier = firstSeen[row.frame]?[row.id] {
          issues.append(
            ConfigIssue(
              location: SourceLocation(file: file, line: lineNumber, column: 1), path: "id",
              message:
                "track \(row.id) appears twice in frame \(row.frame) (first on line \(earlier))",
              hint: "each track has at most one box per frame"))
          continue
        }
        firstSeen[row.frame, default: [:]][row.id] = lineNumber
        rows.append(row)
      }
    }
    guard issues.isEmpty else { throw ConfigError(issues) }
    return rows
  }

  /// A parsed line: a row, or the issue with its first bad field.
  private enum ParsedRow {
    case row(Row)
    case bad(ConfigIssue)
  }

  /// One line → a row, or the issue with its first bad field.
  private static func parseRow(_ line: Substring, lineNumber: Int, file: String)
    -> ParsedRow
  {
    // Fields with the 1-based column where each starts.
    var fields: [(text: String, column: Int)] = []
    var column = 1
    for part in line.split(separator: ",", omittingEmptySubsequences: false) {
      let leading = part.prefix { $0 == " " || $0 == "\t" }.count
      fields.append((part.trimmingCharacters(in: .whitespaces), column + leading))
      column += part.count + 1
    }
    func issue(_ field: Int?, _ name: String, _ message: String, _ hint: String? = nil)
      -> ConfigIssue
    {
      ConfigIssue(
        location: SourceLocation(
          file: file, line: lineNumber, column: field.map { fields[$0].column } ?? 1),
        path: name, message: message, hint: hint)
    }
    guard fields.count >= 9 else {
      return .bad(
        issue(
          nil, "", "expected 9 comma-separated fields, found \(fields.count)",
          "MOT gt.txt rows are frame, id, left, top, width, height, flag, class, visibility"))
    }
    let names = ["frame", "id", "left", "top", "width", "height", "flag", "class", "visibility"]
    func quoted(_ index: Int) -> String { TerminalText.excerpt(fields[index].text) }
    var numbers: [Double] = []
    for index in 0..<9 {
      guard let value = Double(fields[index].text), value.isFinite else {
        return .bad(issue(index, names[index], "expected a number, found '\(quoted(index))'"))
      }
      numbers.append(value)
    }
    for index in [0, 1, 6, 7] where numbers[index] != numbers[index].rounded() {
      return .bad(
        issue(index, names[index], "expected a whole number, found '\(quoted(index))'"))
    }
    guard numbers[0] >= 1, numbers[0] <= Double(maxFrames) else {
      return .bad(
        issue(
          0, "frame", "expected a frame number from 1 to \(maxFrames), found '\(quoted(0))'",
          "MOT frames are numbered from 1"))
    }
    guard abs(numbers[1]) < 1e15 else {
      return .bad(issue(1, "id", "track id '\(quoted(1))' is out of range"))
    }
    // Flags are 0 or 1 and classes small numbers; anything this large is not ground truth.
    for index in [6, 7] where abs(numbers[index]) >= 1e9 {
      return .bad(issue(index, names[index], "\(names[index]) '\(quoted(index))' is out of range"))
    }
    for index in [4, 5] where numbers[index] < 0 {
      return .bad(
        issue(index, names[index], "expected a size ≥ 0, found '\(quoted(index))'"))
    }
    guard (0...1).contains(numbers[8]) else {
      return .bad(
        issue(
          8, "visibility", "expected a visibility ratio 0…1, found '\(quoted(8))'",
          "this looks like a detection or tracker file, not ground truth"))
    }
    return .row(
      Row(
        frame: Int(numbers[0]), id: Int(numbers[1]), left: numbers[2], top: numbers[3],
        width: numbers[4], height: numbers[5], flag: Int(numbers[6]),
        classID: Int(numbers[7]), visibility: numbers[8], line: lineNumber))
  }
}
