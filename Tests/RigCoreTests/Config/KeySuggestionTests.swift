// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct KeySuggestionTests {
  @Test("suggests the key a typo was meant to be")
  func suggests() {
    let keys = ["name", "clip", "tags", "timeout", "retries", "limits", "skip"]
    #expect(KeySuggestion.closest(to: "timout", in: keys) == "timeout")
    #expect(KeySuggestion.closest(to: "retires", in: keys) == "retries")
    #expect(KeySuggestion.closest(to: "Limits", in: keys) == "limits")
    #expect(KeySuggestion.closest(to: "frobnicate", in: keys) == nil)
  }

  @Test("lists the valid keys when nothing is close")
  func listsValidKeys() {
    let hint = KeySuggestion.hint(for: "power", validChoices: ["rig", "board", "simulated"])
    #expect(hint == "valid keys: rig, board, simulated")
    #expect(
      KeySuggestion.hint(for: "bord", validChoices: ["rig", "board"]) == "did you mean 'board'?")
  }

  @Test("counts a swap of neighbours as one edit")
  func distance() {
    #expect(KeySuggestion.distance("tiemout", "timeout") == 1)
    #expect(KeySuggestion.distance("", "abc") == 3)
    #expect(KeySuggestion.distance("kitten", "sitting") == 3)
  }
}
