// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Names a run and its report folder: `20261125-204005-demo` (UTC start time, then the suite).
///
/// IDs sort by start time, contain only `[a-z0-9._-]`, and get a short random suffix
/// (`20261125-204005-demo-3fa2`) when a folder of that name already exists.
public enum RunID {
  /// The ID for a run of `suite` started at `date`; with `reportsDirectory`, one whose folder
  /// does not exist there yet.
  public static func make(date: Date, suite: String, avoiding reportsDirectory: URL? = nil)
    -> String
  {
    let base = UTCTimestamp.compact(date) + "-" + slug(suite)
    guard let reportsDirectory else { return base }
    var candidate = base
    while FileManager.default.fileExists(
      atPath: reportsDirectory.appendingPathComponent(candidate).path)
    {
      candidate = base + "-" + String(UInt16.random(in: 0...UInt16.max), radix: 16).leftPadded(4)
    }
    return candidate
  }

  /// The suite name reduced to a file-name-safe word: lowercase, `[a-z0-9._-]`, at most 40 chars.
  public static func slug(_ suite: String) -> String {
    var out = ""
    for scalar in suite.lowercased().unicodeScalars {
      let safe =
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "."
        || scalar == "_"
      if safe {
        out.unicodeScalars.append(scalar)
      } else if !out.hasSuffix("-") {
        out += "-"
      }
    }
    // No leading dots or dashes: the folder must not be hidden nor look like an option.
    while let first = out.first, first == "-" || first == "." { out.removeFirst() }
    if out.count > 40 { out = String(out.prefix(40)) }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "run" : out
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
