// SPDX-License-Identifier: Apache-2.0

/// Finds what a user probably meant when a key or name is not one rig knows.
public enum KeySuggestion {
  /// The candidate closest to `word`, if one is close enough to be a plausible typo.
  public static func closest(to word: String, in candidates: [String]) -> String? {
    let lowered = word.lowercased()
    if let sameLetters = candidates.first(where: { $0.lowercased() == lowered }) {
      return sameLetters
    }
    // A third of the word may be wrong (at most three edits): `timout`, `retires`, `limts`.
    let allowed = min(3, max(1, word.count / 3))
    var best: (candidate: String, distance: Int)?
    let length = lowered.unicodeScalars.count
    // The distance is at least the difference in length: far longer words need no comparing.
    for candidate in candidates where abs(candidate.unicodeScalars.count - length) <= allowed {
      let d = distance(lowered, candidate.lowercased())
      if d <= allowed, d < (best?.distance ?? Int.max) { best = (candidate, d) }
    }
    return best?.candidate
  }

  /// "did you mean 'timeout'?" when a candidate is close, else the list of valid choices.
  public static func hint(for word: String, validChoices: [String], noun: String = "keys") -> String
  {
    if let match = closest(to: word, in: validChoices) { return "did you mean '\(match)'?" }
    return "valid \(noun): " + validChoices.joined(separator: ", ")
  }

  /// Edit distance counting insertions, deletions, substitutions and swaps of two neighbours.
  public static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var beforePrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          d = min(d, beforePrevious[j - 2] + 1)
        }
        current[j] = d
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[b.count]
  }
}
