// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Checks that every frame file of a clip exists and has the size its format needs.
///
/// Validation runs before every test run, so it only stats each file; a file is opened only when
/// its size is wrong, to say what is wrong with it (dimensions, truncation, not a PGM).
enum FrameFileCheck {
  /// Problems reported one by one per clip; the rest are summed up in one issue.
  static let maxIssues = 10

  static func run(
    _ manifest: ClipManifest, in directory: URL, patternLocation: SourceLocation,
    into issues: inout [ConfigIssue]
  ) {
    let paths = FramePaths(manifest)
    let base = directory.path
    let folder = FileProbe.Folder(base)
    let expected = expectedSize(manifest)
    var reported = 0
    var unreported = 0
    var missingRun: (first: Int, last: Int, path: String)?

    func add(_ issue: ConfigIssue) {
      if reported < maxIssues {
        issues.append(issue)
        reported += 1
      } else {
        unreported += 1
      }
    }
    func flushMissing() {
      guard let run = missingRun else { return }
      missingRun = nil
      let message =
        run.first == run.last
        ? "frame \(run.first) not found"
        : "frames \(run.first) to \(run.last) not found (\(run.last - run.first + 1) files)"
      add(
        ConfigIssue(
          location: SourceLocation(file: URL(fileURLWithPath: run.path).displayPath),
          message: message, hint: "frames.count in clip.yaml says \(manifest.frameCount) frames"))
    }

    for index in 0..<manifest.frameCount {
      let relative = paths.relativePath(index)
      let kind = folder?.kind(relative) ?? FileProbe.kind(atPath: base + "/" + relative)
      guard case .file(let size) = kind else {
        let path = base + "/" + relative
        if index == 0 {
          let folder = (path as NSString).deletingLastPathComponent
          if FileProbe.kind(atPath: folder) == .missing {
            issues.append(
              ConfigIssue(
                location: patternLocation, path: "frames.pattern",
                message: "frames folder not found: \(folder)",
                hint: "frames.pattern is relative to the clip folder"))
            return
          }
        }
        if let run = missingRun, run.last == index - 1 {
          missingRun = (run.first, index, run.path)
        } else {
          flushMissing()
          missingRun = (index, index, path)
        }
        continue
      }
      flushMissing()
      if let problem = sizeProblem(
        size: size, expected: expected, path: base + "/" + relative, manifest)
      {
        add(
          ConfigIssue(
            location: SourceLocation(file: URL(fileURLWithPath: base + "/" + relative).displayPath),
            message: "frame \(index): \(problem)"))
      }
    }
    flushMissing()
    if unreported > 0 {
      issues.append(
        ConfigIssue(
          location: patternLocation, path: "frames",
          message: "\(unreported) more frame problems in this clip not shown"))
    }
  }

  /// The exact size a frame file has in canonical form, or nil when it varies (JPEG).
  static func expectedSize(_ m: ClipManifest) -> Int? {
    switch m.format {
    case .gray8: "P5\n\(m.width) \(m.height)\n255\n".utf8.count + m.width * m.height
    case .rgb565be: m.width * m.height * 2
    case .jpeg: nil
    }
  }

  private static func sizeProblem(
    size: Int, expected: Int?, path: @autoclosure () -> String, _ m: ClipManifest
  ) -> String? {
    switch m.format {
    case .jpeg:
      return size == 0 ? "the file is empty" : nil
    case .rgb565be:
      guard let expected, size != expected else { return nil }
      return "\(size) bytes, but a \(m.width)×\(m.height) rgb565be frame is \(expected) bytes"
    case .gray8:
      guard size != expected else { return nil }
      return pgmProblem(path: path(), size: size, m)
    }
  }

  /// Reads the header of a PGM whose size is not canonical and says what is wrong, or nil when
  /// it is a valid frame in a non-canonical layout (comments in the header, for instance).
  private static func pgmProblem(path: String, size: Int, _ m: ClipManifest) -> String? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return "cannot be read" }
    defer { try? handle.close() }
    let head = (try? handle.read(upToCount: 4096)) ?? Data()
    let header: PGM.Header
    do {
      header = try PGM.header([UInt8](head))
    } catch {
      if size == 0 { return "the file is empty" }
      return "\(error)"
    }
    if header.width != m.width || header.height != m.height {
      return
        "the image is \(header.width)×\(header.height) pixels, "
        + "but clip.yaml says \(m.width)×\(m.height)"
    }
    let present = size - header.rasterOffset
    if present < header.rasterBytes {
      return "truncated: \(present) of \(header.rasterBytes) pixel bytes present"
    }
    return nil
  }
}

/// The path of each frame file relative to its clip folder, with the pattern parsed once rather
/// than per frame.
struct FramePaths {
  private let manifest: ClipManifest
  private let prefix: String
  private let suffix: String
  private let width: Int
  private let padding: Character
  /// False when the pattern is not one this fast path understands; `FramePattern` then expands.
  private let parsed: Bool

  init(_ manifest: ClipManifest) {
    self.manifest = manifest
    let pattern = manifest.framePattern
    var prefix = ""
    var suffix = ""
    var width = 0
    var padding: Character = " "
    var parsed = false
    if let percent = pattern.firstIndex(of: "%") {
      var i = pattern.index(after: percent)
      var spec = ""
      while i < pattern.endIndex, pattern[i].isASCII, pattern[i].isNumber {
        spec.append(pattern[i])
        i = pattern.index(after: i)
      }
      if i < pattern.endIndex, pattern[i] == "d" {
        prefix = String(pattern[..<percent])
        suffix = String(pattern[pattern.index(after: i)...])
        if spec.hasPrefix("0") { padding = "0" }
        width = Int(spec) ?? 0
        parsed = true
      }
    }
    (self.prefix, self.suffix, self.width, self.padding, self.parsed) =
      (prefix, suffix, width, padding, parsed)
  }

  func relativePath(_ index: Int) -> String {
    guard parsed else { return manifest.framePath(index) }
    let digits = String(manifest.firstFrameNumber + index)
    let pad = digits.count < width ? String(repeating: padding, count: width - digits.count) : ""
    return prefix + pad + digits + suffix
  }
}
