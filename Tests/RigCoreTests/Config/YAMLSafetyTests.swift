// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigTestSupport
import Testing

@testable import RigCore

@Suite struct YAMLSafetyTests {
  /// Nine levels of ten aliases each: a billion scalars when expanded.
  static let billionLaughs = """
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
    """

  @Test("an alias bomb in values stops at the node cap, quickly", .timeLimit(.minutes(TestTime.minutes(1))))
  func billionLaughsInValues() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("bomb.yaml", Self.billionLaughs + "\nsuite: s\ntests: *i\n")
    let start = ContinuousClock.now
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    let elapsed = ContinuousClock.now - start
    #expect(brief(found) == ["1:1: the document expands to more than 100000 nodes"])
    #expect(elapsed < TestTime.scaled(.seconds(20)), "a full expansion (10^9 nodes) would take minutes")
  }

  @Test("an alias used as a key is refused before it is hashed", .timeLimit(.minutes(TestTime.minutes(1))))
  func billionLaughsAsKey() throws {
    let dir = try TemporaryDirectory()
    let start = ContinuousClock.now
    let explicit = try dir.write("k1.yaml", Self.billionLaughs + "\nx: { ? *i : 1 }\n")
    let implicit = try dir.write("k2.yaml", Self.billionLaughs + "\n*i : 1\n")
    let flow = try dir.write("k3.yaml", Self.billionLaughs + "\nx: { [*i, *i]: 1 }\n")
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(explicit) }) == [
        "10:6: explicit keys ('? ') are not supported here"
      ])
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(implicit) }) == [
        "10:1: an alias (*name) cannot be a key"
      ])
    #expect(
      brief(issues { () throws(ConfigError) in try SuiteLoader.load(flow) }) == [
        "10:13: a list or mapping cannot be a key"
      ])
    #expect(ContinuousClock.now - start < TestTime.scaled(.seconds(20)), "a full expansion (10^9 nodes) would take minutes")
  }

  @Test("the key scan ignores comments, quotes and block scalars")
  func keyScanSkipsText() {
    let text = """
      a: &x 1
      b: "*x: not a key"   # *x: neither
      c: |
        *x: part of the text
        ? also text
      d: *x
      """
    #expect(YAMLKeyGuard.scan(text) == nil)
  }

  @Test("a configuration file over 1 MiB is refused without being parsed")
  func hugeFile() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "huge.yaml", "suite: s\ntests: []\n# " + String(repeating: "x", count: 1 << 20) + "\n")
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.map(\.message) == ["suite file is 1 MiB, more than the 1 MiB allowed"])
    #expect(found.first?.location == SourceLocation(file: file.displayPath))
  }

  @Test(
    "a syntax error is one issue at libyaml's line and column",
    arguments: [
      (
        "suite: demo\ntests:\n  - name: a\n   clip: x\n",
        "4:4: invalid YAML: did not find expected '-' indicator"
      ),
      (
        "suite: demo\ntests:\n  - name: a\n    clip: x: y\n",
        "4:12: invalid YAML: mapping values are not allowed in this context"
      ),
      (
        "suite: demo\ntests:\n\t- name: a\n",
        "3:1: invalid YAML: found character that cannot start any token"
      ),
      (
        "suite: demo\nsuite: again\ntests: []\n",
        "2:1: key 'suite' appears again in this mapping (first at line 1, column 1)"
      ),
      ("suite: demo\ntests: *nope\n", "2:8: invalid YAML: found undefined alias"),
    ])
  func syntaxErrors(text: String, expected: String) throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("s.yaml", text)
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.count == 1)
    #expect(brief(found).first?.hasPrefix(expected) == true, "\(brief(found))")
    #expect(found.first?.hint != nil)
  }

  @Test("tabs are explained")
  func tabHint() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("s.yaml", "suite: demo\ntests:\n\t- name: a\n")
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.first?.hint == "indent with spaces; YAML does not allow tabs")
  }

  @Test("text that is not UTF-8 is refused")
  func notUTF8() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write("s.yaml", bytes: Array("suite: d".utf8) + [0xFF, 0xFE, 0x0A])
    let found = issues { () throws(ConfigError) in try SuiteLoader.load(file) }
    #expect(found.map(\.message) == ["suite file is not UTF-8 text"])
  }

  @Test("the issue list reads top to bottom, file by file")
  func description() throws {
    let error = ConfigError([
      ConfigIssue(
        location: SourceLocation(file: "s.yaml", line: 3, column: 5), path: "tests[0].timout",
        message: "unknown key 'timout'", hint: "did you mean 'timeout'?")
    ])
    #expect(
      error.description
        == "s.yaml:3:5: tests[0].timout: unknown key 'timout' (did you mean 'timeout'?)\n1 problem found"
    )
    let shuffled = [
      ConfigIssue(location: SourceLocation(file: "b", line: 1), message: "b1"),
      ConfigIssue(location: SourceLocation(file: "a", line: 9), message: "a9"),
      ConfigIssue(location: SourceLocation(file: "a", line: 2), message: "a2"),
      ConfigIssue(location: SourceLocation(file: "a", line: 2), message: "a2"),
    ]
    #expect(IssueOrder.arrange(shuffled).map(\.message) == ["b1", "a2", "a9"])
  }
}
