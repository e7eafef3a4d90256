// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Checks that every frame file of a clip exists, may be read and has the size its format needs.
///
/// Validation runs before every test run, so it only looks at each file (`FileAccess.kind`); a
/// file is opened only when its size is wrong, to say what is wrong with it (dimensions,
/// truncation, not a PGM).
enum FrameFileCheck {
  /// Problems reported one by one per clip; the rest are summed up in one issue.
  static let maxIssues = 10

  static func run(
    _ manifest: ClipManifest, pattern: FramePattern, in directory: URL,
    patternLocation: SourceLocation, files: any FileAccess, into issues: inout [ConfigIssue]
  ) {
    let base = directory.path
    let folder: any FolderAccess
    switch files.folder(base) {
    case .success(let opened): folder = opened
    case .failure(let failure):
      issues.append(
        ConfigIssue(
          location: patternLocation, path: "frames.pattern",
          message: "clip folder \(failure): \(base)", hint: failure.hint))
      return
    }
    var report = Report(limit: maxIssues, patternLocation: patternLocation)
    let expected = expectedSize(manifest)
    for index in 0..<manifest.frameCount {
      let relative = pattern.path(manifest.firstFrameNumber + index)
      let path = base + "/" + relative
      let kind = folder.kind(of: relative)
      if index == 0, let problem = folderProblem(kind, framePath: path, files: files) {
        issues.append(
          ConfigIssue(
            location: patternLocation, path: "frames.pattern", message: problem.message,
            hint: problem.hint))
        return
      }
      switch kind {
      case .file(let size, readable: true):
        report.endRun()
        if let problem = sizeProblem(
          size: size, expected: expected, path: path, files: files, manifest)
        {
          report.add(
            ConfigIssue(
              location: SourceLocation(file: URL(fileURLWithPath: path).displayPath),
              message: "frame \(index): \(problem)"))
        }
      case .file(_, readable: false):
        report.extendRun(
          index, path: path, problem: "cannot be read (permission denied)",
          hint: FileReadFailure.permissionDenied.hint)
      case .missing:
        report.extendRun(
          index, path: path, problem: "not found",
          hint: "frames.count in clip.yaml says \(manifest.frameCount) frames")
      case .directory:
        report.extendRun(index, path: path, problem: "is a folder, not a file", hint: nil)
      case .special(let what):
        report.extendRun(
          index, path: path, problem: "is not a regular file but \(what)", hint: nil)
      case .inaccessible(let reason):
        report.extendRun(index, path: path, problem: "cannot be read (\(reason))", hint: nil)
      }
    }
    issues += report.finish()
  }

  /// When the first frame is not there, whether its folder is the reason: missing, or not
  /// readable (so no frame in it can be looked at).
  private static func folderProblem(_ kind: FileKind, framePath: String, files: any FileAccess)
    -> (message: String, hint: String)?
  {
    switch kind {
    case .missing, .inaccessible: break
    default: return nil
    }
    let folder = (framePath as NSString).deletingLastPathComponent
    switch files.kind(of: folder) {
    case .missing:
      return ("frames folder not found: \(folder)", "frames.pattern is relative to the clip folder")
    case .inaccessible(let reason):
      return (
        "frames folder cannot be read (\(reason)): \(folder)", FileReadFailure.permissionDenied.hint
      )
    case .directory:
      if case .inaccessible(let reason) = kind {
        return (
          "frames folder cannot be read (\(reason)): \(folder)",
          FileReadFailure.permissionDenied.hint
        )
      }
      return nil
    default:
      return ("frames folder is not a folder: \(folder)", "frames.pattern names the frame files")
    }
  }

  /// Issues of one clip, with consecutive frames that share a problem reported as one run.
  private struct Report {
    let limit: Int
    let patternLocation: SourceLocation
    var issues: [ConfigIssue] = []
    var unreported = 0
    var run: (first: Int, last: Int, path: String, problem: String, hint: String?)?

    init(limit: Int, patternLocation: SourceLocation) {
      self.limit = limit
      self.patternLocation = patternLocation
    }

    mutating func add(_ issue: ConfigIssue) {
      if issues.count < limit {
        issues.append(issue)
      } else {
        unreported += 1
      }
    }

    mutating func extendRun(_ index: Int, path: String, problem: String, hint: String?) {
      if let current = run, current.last == index - 1, current.problem == problem {
        run?.last = index
        return
      }
      endRun()
      run = (index, index, path, problem, hint)
    }

    mutating func endRun() {
      guard let current = run else { return }
      run = nil
      let message =
        current.first == current.last
        ? "frame \(current.first) \(current.problem)"
        : "frames \(current.first) to \(current.last) \(current.problem) "
          + "(\(current.last - current.first + 1) files)"
      add(
        ConfigIssue(
          location: SourceLocation(file: URL(fileURLWithPath: current.path).displayPath),
          message: message, hint: current.hint))
    }

    mutating func finish() -> [ConfigIssue] {
      endRun()
      if unreported > 0 {
        issues.append(
          ConfigIssue(
            location: patternLocation, path: "frames",
            message: "\(unreported) more frame problems in this clip not shown"))
      }
      return issues
    }
  }

  /// The most bytes a frame file of `m` may hold when it is read whole: a 16-bit PGM with a long
  /// header, a raw RGB565 frame, or a JPEG no larger than raw RGB565 of the size plus headers.
  static func maxFrameBytes(_ m: ClipManifest) -> Int {
    m.width * m.height * 2 + (64 << 10)
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
    size: Int, expected: Int?, path: String, files: any FileAccess, _ m: ClipManifest
  ) -> String? {
    switch m.format {
    case .jpeg:
      return size == 0 ? "the file is empty" : nil
    case .rgb565be:
      guard let expected, size != expected else { return nil }
      return "\(size) bytes, but a \(m.width)×\(m.height) rgb565be frame is \(expected) bytes"
    case .gray8:
      guard size != expected else { return nil }
      return pgmProblem(path: path, size: size, files: files, m)
    }
  }

  /// Reads the header of a PGM whose size is not canonical and says what is wrong, or nil when
  /// it is a valid frame in a non-canonical layout (comments in the header, for instance).
  private static func pgmProblem(path: String, size: Int, files: any FileAccess, _ m: ClipManifest)
    -> String?
  {
    let head: [UInt8]
    do {
      head = try files.readPrefix(path, count: 4096)
    } catch {
      return "\(error)"
    }
    let header: PGM.Header
    do {
      header = try PGM.header(head)
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
