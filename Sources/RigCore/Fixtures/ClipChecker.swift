// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The deep check of a loaded clip: every frame file, every label, the licence and the line.
///
/// Loading a clip checks its files' syntax; this also reads every frame, so it is the check to
/// run before a clip is shipped or used on a bench. Every problem is reported; runs of
/// consecutive frames with the same problem are reported once, naming the range.
public enum ClipChecker {
  /// File names accepted as the clip's licence text.
  public static let licenceFiles = [
    "LICENSE", "LICENCE", "COPYING", "LICENSE.txt", "LICENCE.txt", "COPYING.txt", "LICENSE.md",
    "LICENCE.md",
  ]

  /// Every problem of `clip`. Label issues point at `labelsFile` assuming one row per line
  /// after the header, as `ClipWriter` writes it.
  public static func check(
    _ clip: Clip, labelsFile: String = "labels.csv", files: any FileAccess
  ) -> [ConfigIssue] {
    let manifestFile = clip.directory.appendingPathComponent("clip.yaml").displayPath
    var issues = checkManifest(clip, file: manifestFile)
    issues += checkLabels(clip, file: clip.directory.appendingPathComponent(labelsFile).displayPath)
    issues += checkLicenceFile(in: clip.directory, licence: clip.manifest.licence, files: files)
    issues += checkFrames(clip, files: files)
    return issues
  }

  static func checkManifest(_ clip: Clip, file: String) -> [ConfigIssue] {
    let m = clip.manifest
    var issues: [ConfigIssue] = []
    func add(_ path: String, _ message: String, _ hint: String? = nil) {
      issues.append(
        ConfigIssue(location: SourceLocation(file: file), path: path, message: message, hint: hint))
    }
    if m.width < 1 || m.height < 1 {
      add("width", "frame size \(m.width)×\(m.height) is empty", "give the frames' size in pixels")
    }
    if !(m.fps > 0) { add("fps", "frame rate \(m.fps) must be positive") }
    if case .failure(let problem) = FramePattern.parse(m.framePattern) {
      add(
        "frames.pattern", "'\(TerminalText.excerpt(m.framePattern))' \(problem)",
        "write it like frames/%06d.pgm")
    }
    if m.frameCount != clip.labels.count {
      add(
        "frames.count",
        "says \(m.frameCount) frames but the labels have \(clip.labels.count) rows",
        "one label row per frame")
    }
    if let line = m.countingLine {
      let extent = line.orientation == .horizontal ? m.height : m.width
      let axis = line.orientation == .horizontal ? "rows" : "columns"
      if extent > 1 && !(1..<extent).contains(line.position) {
        add(
          "counting_line.position",
          "\(line.orientation.rawValue) line at \(line.position) lies outside the frame",
          "the frame has \(axis) 0…\(extent - 1); the line needs pixels on both sides, so use"
            + " 1…\(extent - 1)")
      }
    }
    if m.licence.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      add("licence", "is empty", "name the licence, such as CC0-1.0 or CC-BY-4.0")
    }
    if m.provenance.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      add("provenance", "is empty", "say where the frames come from and who labelled them")
    }
    return issues
  }

  static func checkLabels(_ clip: Clip, file: String) -> [ConfigIssue] {
    var issues: [ConfigIssue] = []
    func add(_ index: Int, _ column: Int, _ path: String, _ message: String, _ hint: String? = nil)
    {
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file, line: index + 2, column: column), path: path,
          message: message, hint: hint))
    }
    // A clip has in/out on every row or on none; a row with only one of them is incomplete too.
    let hasLineCounts = clip.labels.contains { $0.inCount != nil || $0.outCount != nil }
    var previous: FrameLabel?
    for (index, label) in clip.labels.enumerated() {
      if label.frame != index {
        add(
          index, 1, "frame", "row for frame \(label.frame) where frame \(index) was expected",
          "one row per frame, numbered from 0, in order")
      }
      if label.count < 0 { add(index, 0, "count", "count \(label.count) is negative") }
      if hasLineCounts && (label.inCount == nil || label.outCount == nil) {
        add(
          index, 0, label.inCount == nil ? "in" : "out", "has no in/out while other rows do",
          "give in and out on every row, or on none")
      }
      for (name, value, before) in [
        ("in", label.inCount, previous?.inCount), ("out", label.outCount, previous?.outCount),
      ] {
        guard let value else { continue }
        if value < 0 {
          add(index, 0, name, "\(name) \(value) is negative")
        } else if let before, value < before {
          add(
            index, 0, name, "\(name) falls from \(before) to \(value)",
            "in and out are cumulative counts, so they never decrease")
        }
      }
      previous = label
    }
    if clip.labels.isEmpty {
      issues.append(
        ConfigIssue(
          location: SourceLocation(file: file), message: "has no rows",
          hint: "one row per frame: frame,count[,in,out]"))
    }
    return issues
  }

  /// The licence text file a shareable clip must carry; checkable even when the rest of the clip
  /// does not load.
  public static func checkLicenceFile(
    in directory: URL, licence: String?, files: any FileAccess
  ) -> [ConfigIssue] {
    let present = licenceFiles.contains {
      if case .file = files.kind(of: directory.appendingPathComponent($0).path) { return true }
      return false
    }
    guard !present else { return [] }
    return [
      ConfigIssue(
        location: SourceLocation(file: directory.displayPath),
        message: "no LICENSE, LICENCE or COPYING file in the clip folder",
        hint:
          "add the licence text\(licence.map { " for '\(TerminalText.excerpt($0))'" } ?? ""), "
          + "so the clip can be shared")
    ]
  }

  /// One frame's problem; consecutive frames with the same `detail` are reported together.
  private struct FrameProblem {
    var index: Int
    var detail: String
    var hint: String?
  }

  static func checkFrames(_ clip: Clip, files: any FileAccess) -> [ConfigIssue] {
    let m = clip.manifest
    guard FramePattern.isValid(m.framePattern), m.frameCount > 0 else { return [] }
    var problems: [FrameProblem] = []
    for index in 0..<m.frameCount {
      if let problem = checkFrame(clip, index: index, files: files) { problems.append(problem) }
    }
    var issues: [ConfigIssue] = []
    var start = 0
    while start < problems.count {
      var end = start
      while end + 1 < problems.count, problems[end + 1].index == problems[end].index + 1,
        problems[end + 1].detail == problems[start].detail
      {
        end += 1
      }
      let first = problems[start]
      let location = SourceLocation(file: clip.frameURL(first.index).displayPath)
      let message =
        end == start
        ? first.detail
        : "frames \(first.index)–\(problems[end].index) (\(end - start + 1) files, to "
          + "\(m.framePath(problems[end].index))): \(first.detail)"
      issues.append(ConfigIssue(location: location, message: message, hint: first.hint))
      start = end + 1
    }
    return issues
  }

  private static func checkFrame(_ clip: Clip, index: Int, files: any FileAccess) -> FrameProblem? {
    let m = clip.manifest
    let url = clip.frameURL(index)
    let bytes: [UInt8]
    do {
      bytes = try files.read(url.path, limit: FrameFileCheck.maxFrameBytes(m))
    } catch .missing {
      return FrameProblem(
        index: index, detail: "frame file is missing",
        hint: "frames follow '\(TerminalText.excerpt(m.framePattern))' from \(m.firstFrameNumber)")
    } catch {
      return FrameProblem(index: index, detail: "frame file \(error)", hint: error.hint)
    }
    switch m.format {
    case .gray8:
      let image: PGM.Image
      do {
        image = try PGM.decode(bytes)
      } catch {
        return FrameProblem(
          index: index, detail: "not a readable PGM: \(error)",
          hint: "gray8 frames are binary PGM (P5) files")
      }
      if image.width != m.width || image.height != m.height {
        return FrameProblem(
          index: index,
          detail:
            "frame is \(image.width)×\(image.height), clip.yaml says \(m.width)×\(m.height)",
          hint: "every frame of a clip has the size clip.yaml states")
      }
    case .rgb565be:
      let expected = m.width * m.height * 2
      if bytes.count != expected {
        return FrameProblem(
          index: index,
          detail: "holds \(bytes.count) bytes, \(m.width)×\(m.height) RGB565 needs \(expected)",
          hint: "rgb565be frames are raw, 2 bytes per pixel, high byte first, no header")
      }
    case .jpeg:
      let starts = bytes.count >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8
      let tail = bytes.suffix(16)
      let ends = zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
      if !starts || !ends {
        return FrameProblem(
          index: index, detail: "not a complete JPEG (no FF D8 start or FF D9 end marker)",
          hint: "the file may be truncated")
      }
    }
    return nil
  }
}
