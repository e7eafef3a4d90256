// SPDX-License-Identifier: Apache-2.0
import Foundation
import Yams

/// Loads a clip folder: `clip.yaml`, `labels.csv` and a check of every frame file.
public enum ClipLoader {
  /// The keys `clip.yaml` may hold.
  static let keys = [
    "clip", "format", "width", "height", "fps", "frames", "labels", "counting_line", "provenance",
    "licence", "notes",
  ]
  static let requiredKeys = ["clip", "format", "width", "height", "fps", "frames", "licence"]
  static let frameKeys = ["pattern", "first", "count"]
  static let countingLineKeys = ["orientation", "position", "in"]

  /// Loads clip.yaml + labels.csv of a clip folder and checks frame files exist with the right
  /// size.
  ///
  /// `referencedAt` is where the folder was named (a suite's `clip:` key); a missing folder or
  /// `clip.yaml` is reported there. Every problem of the clip is thrown together.
  public static func load(
    _ directory: URL, referencedAt: SourceLocation? = nil,
    files: any FileAccess
  ) throws(ConfigError) -> Clip {
    var issues: [ConfigIssue] = []
    let reference = referencedAt.map { ConfigFileReader.Reference(location: $0, path: "") }
    let clip = load(directory, reference: reference, files: files, into: &issues)
    guard let clip, issues.isEmpty else { throw ConfigError(IssueOrder.arrange(issues)) }
    return clip
  }

  /// Loads a clip, appending every problem to `issues`; nil when it could not be loaded.
  static func load(
    _ directory: URL, reference: ConfigFileReader.Reference?, files: any FileAccess,
    into issues: inout [ConfigIssue]
  ) -> Clip? {
    let directory = directory.standardizedFileURL
    if let problem = folderProblem(files.kind(of: directory.path), directory.path) {
      issues.append(
        ConfigIssue(
          location: reference?.location ?? SourceLocation(file: directory.displayPath),
          path: reference?.path ?? "", message: problem,
          hint: "the path is relative to the file naming it"))
      return nil
    }
    let manifestURL = directory.appendingPathComponent("clip.yaml")
    guard
      let document = YAMLDocument.load(
        manifestURL, what: "clip.yaml", reference: reference, files: files, into: &issues)
    else { return nil }

    let reader = ConfigReader(file: document.file, files: files)
    let manifest = readManifest(document.root, reader)
    issues += reader.issues
    guard let manifest, reader.issues.isEmpty else { return nil }

    let labelsURL = SuiteLoader.resolve(manifest.labelsFile, against: directory)
    let labelsReference = ConfigFileReader.Reference(
      location: manifest.labelsLocation, path: "labels")
    var labels = FrameLabels()
    if let bytes = ConfigFileReader.read(
      labelsURL, what: "labels file", maxBytes: LabelsCSV.maxBytes, reference: labelsReference,
      files: files, into: &issues)
    {
      var labelIssues: [ConfigIssue] = []
      labels = LabelsCSV.parse(bytes, file: labelsURL.displayPath, into: &labelIssues)
      issues += labelIssues
      if labelIssues.isEmpty && labels.count != manifest.clip.frameCount {
        issues.append(
          ConfigIssue(
            location: manifest.frameCountLocation, path: "frames.count",
            message:
              "\(labelsURL.lastPathComponent) has \(labels.count) rows "
              + "but frames.count is \(manifest.clip.frameCount)",
            hint: "every frame needs exactly one label row"))
      }
    }
    FrameFileCheck.run(
      manifest.clip, pattern: manifest.pattern, in: directory,
      patternLocation: manifest.patternLocation, files: files, into: &issues)
    return Clip(directory: directory, manifest: manifest.clip, labels: labels)
  }

  /// Why `path` cannot be a clip folder, or nil when it is a folder.
  private static func folderProblem(_ kind: FileKind, _ path: String) -> String? {
    switch kind {
    case .directory: nil
    case .missing: "clip folder not found: \(path)"
    case .inaccessible(let reason): "clip folder cannot be read (\(reason)): \(path)"
    case .file, .special: "clip must be a folder holding clip.yaml, found a file: \(path)"
    }
  }

  /// What `clip.yaml` says, with the places later checks point back to.
  struct ParsedManifest {
    var clip: ClipManifest
    var pattern: FramePattern
    var labelsFile: String
    var labelsLocation: SourceLocation
    var frameCountLocation: SourceLocation
    var patternLocation: SourceLocation
  }

  static func readManifest(_ root: Node, _ r: ConfigReader) -> ParsedManifest? {
    guard
      let table = r.table(
        root, at: "", keys: keys, required: requiredKeys,
        what: "a clip description (clip:, format:, width:, …)")
    else { return nil }
    let name = r.name(table, "clip", what: "a clip name")
    let format: PixelFormat? = r.choice(table, "format", what: "a pixel format")
    let width = r.int(table, "width", in: 1...8192)
    let height = r.int(table, "height", in: 1...8192)
    let fps = r.double(table, "fps", in: 0.01...1000)

    var pattern = "frames/%06d.pgm"
    var parsedPattern = try? FramePattern.parse(pattern).get()
    var first = 0
    var count: Int?
    var countNode: Node?
    var patternNode: Node? = table["frames"]
    if let frames = r.table(
      table, "frames", keys: frameKeys, required: ["count"],
      what: "a mapping such as { pattern: \"frames/%06d.pgm\", first: 0, count: 120 }")
    {
      if let node = frames["pattern"], let p = r.string(node, at: frames.path("pattern")) {
        patternNode = node
        let quoted = "'\(TerminalText.excerpt(p))'"
        switch FramePattern.parse(p) {
        case .failure(let problem):
          r.report(
            node, frames.path("pattern"), "\(quoted) \(problem)", hint: "such as frames/%06d.pgm")
          parsedPattern = nil
        case .success where p.hasPrefix("/"):
          r.report(
            node, frames.path("pattern"), "\(quoted) must be relative to the clip folder",
            hint: "such as frames/%06d.pgm")
          parsedPattern = nil
        case .success(let parsed):
          pattern = p
          parsedPattern = parsed
        }
      }
      first = r.int(frames, "first", in: 0...1_000_000_000) ?? 0
      count = r.int(frames, "count", in: 1...10_000_000)
      countNode = frames["count"]
    }

    let labelsFile = r.text(table, "labels", what: "a file name") ?? "labels.csv"
    let countingLine = table["counting_line"].flatMap {
      readCountingLine($0, at: table.path("counting_line"), width: width, height: height, r)
    }
    let provenance = r.string(table, "provenance") ?? ""
    let licence = r.text(table, "licence", what: "a licence such as CC0-1.0")
    var notes: [String: String] = [:]
    if let notesTable = table["notes"] {
      notes = readNotes(notesTable, at: table.path("notes"), r)
    }

    guard let name, let format, let width, let height, let fps, let count, let licence,
      let parsedPattern
    else {
      return nil
    }
    let manifest = ClipManifest(
      name: name, format: format, width: width, height: height, fps: fps, framePattern: pattern,
      firstFrameNumber: first, frameCount: count, countingLine: countingLine,
      provenance: provenance, licence: licence, notes: notes)
    return ParsedManifest(
      clip: manifest, pattern: parsedPattern, labelsFile: labelsFile,
      labelsLocation: r.location(of: table["labels"] ?? root),
      frameCountLocation: r.location(of: countNode ?? root),
      patternLocation: r.location(of: patternNode ?? root))
  }

  private static func readCountingLine(
    _ node: Node, at path: String, width: Int?, height: Int?, _ r: ConfigReader
  ) -> CountingLine? {
    guard
      let t = r.table(
        node, at: path, keys: countingLineKeys, required: ["orientation", "position"],
        what: "a mapping such as { orientation: horizontal, position: 48, in: increasing }")
    else { return nil }
    let orientation: CountingLine.Orientation? = r.choice(
      t, "orientation", what: "an orientation", among: [.horizontal, .vertical])
    let direction: CountingLine.Direction? = r.choice(
      t, "in", what: "a direction", among: [.increasing, .decreasing])
    // The line must cross the frame: a row for a horizontal line, a column for a vertical one.
    let extent = orientation == .vertical ? width : height
    let position = r.int(t, "position", in: 0...max(0, (extent ?? 8193) - 1))
    guard let orientation, let position else { return nil }
    if t["in"] != nil && direction == nil { return nil }
    return CountingLine(
      orientation: orientation, position: position, inDirection: direction ?? .increasing)
  }

  private static func readNotes(_ node: Node, at path: String, _ r: ConfigReader) -> [String:
    String]
  {
    if ConfigReader.isNull(node) { return [:] }
    guard case .mapping(let mapping) = node else {
      r.report(node, path, "expected a mapping of names to text, found \(r.describe(node))")
      return [:]
    }
    var notes: [String: String] = [:]
    for (key, value) in mapping {
      guard case .scalar(let k) = key else {
        r.report(key, path, "a key must be a plain name, found \(r.describe(key))")
        continue
      }
      guard case .scalar(let v) = value else {
        r.report(
          value, ConfigTable.join(path, k.string),
          "notes hold text, found \(r.describe(value))", hint: "put the value in quotes")
        continue
      }
      notes[k.string] = v.string
    }
    return notes
  }
}
