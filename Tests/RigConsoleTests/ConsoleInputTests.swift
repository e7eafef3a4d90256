// SPDX-License-Identifier: Apache-2.0
import RigConsole
import RigCore
import Testing

@Suite("rig console: lines typed")
struct ConsoleInputTests {
  @Test("hello draws a nonce; later commands carry the same one, framed as the agent parses them")
  func commands() throws {
    var nonce: UInt32?
    let hello = try #require(ConsoleInput("hello", nonce: &nonce))
    let drawn = try #require(nonce)
    #expect(TelemetryEncoder.decodeCommand(line: hello.bytes) == .hello(nonce: drawn))
    #expect(hello.bytes.suffix(2) == [0x0D, 0x0A] && !hello.display.contains("\r"))
    let start = try #require(ConsoleInput("start people_in", nonce: &nonce))
    #expect(TelemetryEncoder.decodeCommand(line: start.bytes) == .start(nonce: drawn, test: "people_in"))
    let stats = try #require(ConsoleInput("  stats ", nonce: &nonce))
    #expect(TelemetryEncoder.decodeCommand(line: stats.bytes) == .stats(nonce: drawn))
    #expect(nonce == drawn)
  }

  @Test("a command before any hello draws the session's nonce itself")
  func commandFirst() throws {
    var nonce: UInt32?
    let stop = try #require(ConsoleInput("stop", nonce: &nonce))
    #expect(TelemetryEncoder.decodeCommand(line: stop.bytes) == .stop(nonce: try #require(nonce)))
  }

  @Test("anything else goes out as typed with CR LF; an empty line sends nothing")
  func rawText() throws {
    var nonce: UInt32?
    let raw = try #require(ConsoleInput("start", nonce: &nonce))  // start needs a test name
    #expect(raw.bytes == Array("start\r\n".utf8) && raw.display == "start" && nonce == nil)
    #expect(ConsoleInput("   ", nonce: &nonce) == nil)
  }
}
