// SPDX-License-Identifier: Apache-2.0
import RigConsole
import Testing

@Suite("rig console: the line editor")
struct ConsoleLineEditorTests {
  /// Feeds `text`'s bytes and returns each action.
  static func feed(_ editor: inout ConsoleLineEditor, _ text: String) -> [ConsoleLineEditor.Action] {
    text.utf8.map { editor.feed($0) }
  }

  @Test("printable bytes edit the line, Enter sends it and starts a new one")
  func typing() {
    var editor = ConsoleLineEditor()
    #expect(Self.feed(&editor, "stats") == Array(repeating: .edited, count: 5))
    #expect(editor.text == "stats")
    #expect(editor.feed(0x0D) == .line("stats"))
    #expect(editor.text.isEmpty)
    #expect(editor.feed(0x0A) == .line(""))
  }

  @Test("backspace and DEL remove the last character; on an empty line they do nothing")
  func erasing() {
    var editor = ConsoleLineEditor()
    _ = Self.feed(&editor, "hellp")
    #expect(editor.feed(0x7F) == .edited)
    _ = Self.feed(&editor, "o")
    #expect(editor.text == "hello")
    var empty = ConsoleLineEditor()
    #expect(empty.feed(0x08) == .none && empty.feed(0x7F) == .none)
  }

  @Test("the ways out: ~. at the start of a line, Ctrl-C, Ctrl-D on an empty line only")
  func quitting() {
    var tilde = ConsoleLineEditor()
    #expect(Self.feed(&tilde, "~.") == [.edited, .quit])
    var later = ConsoleLineEditor()
    #expect(Self.feed(&later, "a~.").last == .edited)  // not at the start: typed text
    var interrupt = ConsoleLineEditor()
    _ = Self.feed(&interrupt, "sta")
    #expect(interrupt.feed(0x03) == .quit)
    var eof = ConsoleLineEditor()
    _ = Self.feed(&eof, "x")
    #expect(eof.feed(0x04) == .none)
    _ = eof.feed(0x7F)
    #expect(eof.feed(0x04) == .quit)
  }

  @Test("control bytes and bytes outside printable ASCII are ignored")
  func ignored() {
    var editor = ConsoleLineEditor()
    #expect(editor.feed(0x1B) == .none && editor.feed(0xC3) == .none && editor.feed(0x09) == .none)
    #expect(editor.text.isEmpty)
  }
}
