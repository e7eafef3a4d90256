// SPDX-License-Identifier: Apache-2.0
import RigCore

/// A line the user typed in `rig console`: a host command (`hello`, `start <test>`, `stop`,
/// `stats`) framed with the session's nonce, or raw text sent as it is.
public struct ConsoleInput: Sendable {
  /// The bytes to send to the DUT, line ending included.
  public var bytes: [UInt8]
  /// What to echo on the screen: the command as sent, without its line ending.
  public var display: String

  /// Nil for an empty line. `hello` picks a fresh nonce; later commands reuse it.
  public init?(_ text: String, nonce: inout UInt32?) {
    let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    guard let first = words.first else { return nil }
    func current() -> UInt32 {
      if let nonce { return nonce }
      let fresh = UInt32.random(in: 1...UInt32.max)
      nonce = fresh
      return fresh
    }
    let command: TelemetryCommand?
    switch (first, words.count) {
    case ("hello", 1):
      nonce = UInt32.random(in: 1...UInt32.max)
      command = .hello(nonce: current())
    case ("start", 2): command = .start(nonce: current(), test: words[1])
    case ("stop", 1): command = .stop(nonce: current())
    case ("stats", 1): command = .stats(nonce: current())
    default: command = nil
    }
    if let command {
      bytes = TelemetryEncoder.encode(command)
      display = String(decoding: bytes.prefix { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
    } else {
      bytes = Array((text + "\r\n").utf8)
      display = text
    }
  }
}
