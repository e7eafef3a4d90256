// SPDX-License-Identifier: Apache-2.0
import Foundation

extension FrameAccounting {
  /// Every counter as `(snake_case name, value)`, in a fixed order: `sent`, `matched`,
  /// `missing`, … . Read through Codable so a counter added to the model reaches every report
  /// without touching the renderers.
  public var reportFields: [(name: String, value: Int)] {
    let preferred = [
      "sent", "matched", "missing", "duplicated", "unknown", "deviceErrors", "badChecksum",
      "staleNonce", "logLines",
    ]
    guard let data = try? JSONEncoder().encode(self),
      let counters = try? JSONDecoder().decode([String: Int].self, from: data)
    else { return [] }
    let ordered =
      preferred.filter { counters[$0] != nil }
      + counters.keys.filter { !preferred.contains($0) }.sorted()
    return ordered.map { (snakeCase($0), counters[$0] ?? 0) }
  }

  /// True when nothing was counted (a test that was skipped or never reached the DUT).
  public var isEmpty: Bool { reportFields.allSatisfy { $0.value == 0 } }
}

/// `badChecksum` → `bad_checksum`.
private func snakeCase(_ name: String) -> String {
  var out = ""
  for c in name {
    if c.isUppercase {
      out += "_" + c.lowercased()
    } else {
      out.append(c)
    }
  }
  return out
}
