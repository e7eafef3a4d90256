// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Text in the HTML report")
struct HTMLTextTests {
  @Test("markup characters and quotes are escaped in text and attributes alike")
  func markup() {
    #expect(HTMLText.escape("<script>alert('x') & \"y\"</script>")
      == "&lt;script&gt;alert('x') &amp; &quot;y&quot;&lt;/script&gt;")
    #expect(HTMLText.escape("a\"><img src=x onerror=alert(1)>") == "a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
  }

  @Test("control characters become visible, ANSI sequences go, line breaks stay")
  func controls() {
    #expect(HTMLText.escape("\u{1B}[31mred\u{1B}[0m NUL:\u{0} bell:\u{7} del:\u{7F} c1:\u{85}\u{9B}")
      == "red NUL:#x00 bell:#x07 del: c1:[U+85][U+9B]")
    #expect(HTMLText.escape("line 1\nline 2\ttab\r") == "line 1&#10;line 2&#9;tab&#13;")
  }

  @Test("bidirectional overrides are shown, not obeyed; right-to-left text stays")
  func bidi() {
    #expect(HTMLText.escape("test\u{202E}gpj.exe") == "test[U+202E]gpj.exe")
    #expect(HTMLText.escape("\u{2067}x\u{2069}") == "[U+2067]x[U+2069]")
    #expect(HTMLText.escape("\u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{200F}") == "\u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{200F}")
    #expect(HTMLText.escape("\u{FEFF}bom\u{2028}") == "[U+FEFF]bom[U+2028]")
    #expect(HTMLText.isolated("\u{05D0}<b>") == "<bdi>\u{05D0}&lt;b&gt;</bdi>")
  }

  @Test("anchors are [a-z0-9-] only and unique by index")
  func anchors() {
    #expect(HTMLText.anchor("corridor-busy", index: 3) == "t3-corridor-busy")
    #expect(HTMLText.anchor("\"><script>", index: 1) == "t1-script")
    #expect(HTMLText.anchor("\u{05D0}\u{05D1}", index: 2) == "t2")
    #expect(HTMLText.anchor(String(repeating: "ab ", count: 100), index: 4).count <= 44)
  }

  @Test("link paths cannot leave the attribute or become another scheme")
  func paths() {
    #expect(HTMLText.path("artifacts/corridor-busy/frames.csv") == "artifacts/corridor-busy/frames.csv")
    #expect(HTMLText.path("artifacts/a b\"<>/x.csv") == "artifacts/a%20b%22%3C%3E/x.csv")
    #expect(HTMLText.path("javascript:alert(1)") == "javascript%3Aalert%281%29")
    #expect(HTMLText.path("//evil.example/x") == ".//evil.example/x")
    #expect(HTMLText.path("\u{00E9}") == "%C3%A9")
  }
}
