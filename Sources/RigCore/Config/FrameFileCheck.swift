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
    let fileManager = FileManager.default
    let base = directory.path
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
      let path = base + "/" + manifest.framePath(index)
      guard let attributes = try? fileManager.attributesOfItem(atPath: path),
        (attributes[.type] as? FileAttributeType) != .typeDirectory
      else {
        if index == 0 {
          let folder = (path as NSString).deletingLastPathComponent
          if !fileManager.fileExists(atPath: folder) {
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
      let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
      if let problem = sizeProblem(size: size, expected: expected, path: path, manifest) {
        add(
          ConfigIssue(
            location: SourceLocation(file: URL(fileURLWithPath: path).displayPath),
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

  private static func sizeProblem(size: Int, expected: Int?, path: String, _ m: ClipManifest)
    -> String?
  {
    switch m.format {
    case .jpeg:
      return size == 0 ? "the file is empty" : nil
    case .rgb565be:
      guard let expected, size != expected else { return nil }
      return "\(size) bytes, but a \(m.width)×\(m.height) rgb565be frame is \(expected) bytes"
    case .gray8:
      guard size != expected else { return nil }
      return pgmProblem(path: path, size: size, m)
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
      return "the image is \(header.width)×\(header.height) pixels, but clip.yaml says \(m.width)×\(m.height)"
    }
    let present = size - header.rasterOffset
    if present < header.rasterBytes {
      return "truncated: \(present) of \(header.rasterBytes) pixel bytes present"
    }
    return nil
  }
}
