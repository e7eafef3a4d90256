// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite struct TerminalTextTests {
  @Test("control characters are shown as escapes, never passed on")
  func controls() {
    #expect(TerminalText.sanitize("a\u{1B}c b\u{07}\u{00}\u{08}x\u{7F}") == "a\\ec b\\a\\0\\bx\\x7F")
    #expect(TerminalText.sanitize("tab\tkept\nline") == "tab\tkept\nline")
    #expect(TerminalText.sanitize("one\nline", keepLineBreaks: false) == "one\\nline")
    #expect(TerminalText.sanitize("c1 \u{9B}2J") == "c1 \\x9B2J", "8-bit CSI")
    #expect(TerminalText.sanitize("abc\u{202E}fed") == "abc\\u{202E}fed", "a bidirectional override")
    #expect(TerminalText.sanitize("ünïcødé ✓ 人") == "ünïcødé ✓ 人")
  }

  @Test("escape sequences are shown, not obeyed")
  func sequences() {
    #expect(TerminalText.sanitize("\u{1B}[2J\u{1B}[H") == "\\e[2J\\e[H")
    #expect(TerminalText.sanitize("\u{1B}]52;c;Y2xpcA==\u{07}x") == "\\e]52;c;Y2xpcA==\\ax")
  }

  @Test("an excerpt is the first line, sanitised, cut at the limit")
  func excerpt() {
    #expect(TerminalText.excerpt("short") == "short")
    #expect(TerminalText.excerpt(String(repeating: "x", count: 1_000_000)).count == 40)
    #expect(TerminalText.excerpt(String(repeating: "x", count: 100)).hasSuffix("…"))
    #expect(TerminalText.excerpt("first\nsecond") == "first…")
    #expect(TerminalText.excerpt("only\n") == "only")
    #expect(TerminalText.excerpt("bell\u{07}") == "bell\\a")
  }
}
