// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

#if canImport(Glibc)
  import Glibc
#endif

/// Reads each test's `frames.csv` from a run folder for report.html, a block at a time, so a
/// 100,000-frame file (about 8 MB) is never in memory whole: only its compact `FrameTable` is.
public enum FrameTableFiles {
  /// By attachment path (`artifacts/<test>/frames.csv`); a file that cannot be opened or read is
  /// left out, and the page says the test's frames.csv could not be read.
  public static func read(_ run: RunResult, in folder: URL) -> [String: FrameTable] {
    var tables: [String: FrameTable] = [:]
    for path in run.tests.compactMap(HTMLRenderer.framesAttachment) {
      if let table = read(folder.appendingPathComponent(path).path) { tables[path] = table }
    }
    return tables
  }

  static func read(_ path: String) -> FrameTable? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var parser = FrameTableParser()
    var block = [UInt8](repeating: 0, count: 256 * 1024)
    while true {
      let n = block.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { return nil }
      if n == 0 { break }
      parser.consume(block[0..<n])
    }
    return parser.finish()
  }
}
