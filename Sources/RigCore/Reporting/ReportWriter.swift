// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Writes a run's rendered reports (`junit.xml`, `results.json`, `summary.txt`, `report.html`)
/// into its folder.
///
/// Each file is written to a temporary file in the same folder, flushed to disk and then renamed
/// over the old one, so a reader never sees half a report and a failure (a full disk) leaves the
/// previous file as it was.
public enum ReportWriter {
  /// The files written, in writing order.
  public static let fileNames = ["junit.xml", "results.json", "summary.txt", "report.html"]

  /// Renders `run` and writes every report into `directory` (which must exist).
  /// `attachmentRoot` is the run folder as CI sees it, prefixed to attachment paths in JUnit;
  /// `history` what report.html shows of the run's baseline and nightlies.
  public static func write(
    _ run: RunResult, to directory: URL, attachmentRoot: String, history: ReportHistory = .none
  ) throws {
    try write(
      run, to: directory, attachmentRoot: attachmentRoot, history: history,
      writeData: { handle, data in
        try handle.write(contentsOf: data)
      })
  }

  /// As `write(_:to:attachmentRoot:)`, with the step that puts bytes into a file replaceable so
  /// tests can make it fail like a full disk.
  static func write(
    _ run: RunResult, to directory: URL, attachmentRoot: String, history: ReportHistory = .none,
    writeData: (FileHandle, Data) throws -> Void
  ) throws {
    let contents: [(String, Data)] = [
      ("junit.xml", Data(JUnitRenderer.render(run, attachmentRoot: attachmentRoot).utf8)),
      ("results.json", Data(try JSONRenderer.render(run).utf8)),
      ("summary.txt", Data(ConsoleSummary.render(run, color: false).utf8)),
      ("report.html", Data(HTMLRenderer.render(run, frames: frameTables(run, in: directory), history: history).utf8)),
    ]
    for (name, data) in contents {
      try writeAtomically(data, to: directory.appendingPathComponent(name), writeData: writeData)
    }
    syncDirectory(directory)
  }

  /// Each test's `frames.csv` in the run folder, read in blocks so a long clip's file is never
  /// in memory whole; a file that cannot be read is left out (the report says so).
  public static func frameTables(_ run: RunResult, in directory: URL) -> [String: FrameTable] {
    var tables: [String: FrameTable] = [:]
    for path in run.tests.compactMap(HTMLRenderer.framesAttachment) {
      guard let handle = try? FileHandle(forReadingFrom: directory.appendingPathComponent(path)) else { continue }
      defer { try? handle.close() }
      var parser = FrameTableParser()
      while let block = try? handle.read(upToCount: 256 * 1024), !block.isEmpty { parser.consume(block) }
      tables[path] = parser.finish()
    }
    return tables
  }

  /// Replaces the file at `url` with `data` in one step: temp file, fsync, rename.
  static func writeAtomically(
    _ data: Data, to url: URL, writeData: (FileHandle, Data) throws -> Void
  ) throws {
    let name = url.lastPathComponent
    let temp = url.deletingLastPathComponent()
      .appendingPathComponent(
        ".\(name).\(ProcessInfo.processInfo.processIdentifier)-"
          + "\(UInt32.random(in: 0...UInt32.max)).tmp"
      )
    func failure(_ why: String, _ cause: (any Error)?) -> RigError {
      RigError(
        .hardwareFault,
        "cannot write \(url.displayPath): \(why); the previous \(name), if any, is unchanged "
          + "(check free space and permissions of \(url.deletingLastPathComponent().displayPath), "
          + "then run 'rig report \(url.deletingLastPathComponent().displayPath)')",
        cause: cause)
    }
    guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
      throw failure(
        "cannot create a file in its folder (does the folder exist and is it writable?)", nil)
    }
    do {
      let handle = try FileHandle(forWritingTo: temp)
      do {
        try writeData(handle, data)
        try handle.synchronize()
        try handle.close()
      } catch {
        try? handle.close()
        throw error
      }
    } catch {
      try? FileManager.default.removeItem(at: temp)
      throw failure(describe(error), error)
    }
    // rename(2) replaces the old file atomically: readers see the old report or the new one.
    if rename(temp.path, url.path) != 0 {
      let code = errno
      try? FileManager.default.removeItem(at: temp)
      throw failure("cannot move the new file into place (\(String(cString: strerror(code))))", nil)
    }
  }

  /// Flushes the folder itself so the renames survive a power cut; best effort.
  private static func syncDirectory(_ directory: URL) {
    guard let handle = try? FileHandle(forReadingFrom: directory) else { return }
    try? handle.synchronize()
    try? handle.close()
  }

  private static func describe(_ error: any Error) -> String {
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    let ns = error as NSError
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain
    {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return ns.localizedDescription
  }
}
