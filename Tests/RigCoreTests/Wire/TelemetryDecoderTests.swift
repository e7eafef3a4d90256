// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct TelemetryDecoderTests {
  typealias S = TelemetrySamples
  typealias Item = TelemetrySamples.Item

  /// Logs, records and a damaged record, as a console would show them.
  static let stream: [UInt8] = {
    var bytes = Array("U-Boot 2024.01\r\nbooting counting firmware\r\n".utf8)
    bytes += TelemetryEncoder.encode(S.messages[0])
    bytes += Array("\r\n[cam] OV2640 found\n".utf8)
    for message in S.messages.dropFirst() { bytes += TelemetryEncoder.encode(message) }
    var damaged = TelemetryEncoder.encode(S.messages[2])
    damaged[20] ^= 0x04
    bytes += damaged
    bytes += Array("[main] \u{1b}[32mok\u{1b}[0m\ttab\r\n".utf8)
    return bytes
  }()

  static let expected: [Item] = {
    var items: [Item] = [.log("U-Boot 2024.01"), .log("booting counting firmware")]
    items.append(.record(S.messages[0]))
    items += [.log(""), .log("[cam] OV2640 found")]
    items += S.messages.dropFirst().map { .record($0) }
    var damaged = TelemetryEncoder.encode(S.messages[2])
    damaged[20] ^= 0x04
    items.append(.damaged(S.text(Array(damaged.dropLast(2))), .badChecksum))
    items.append(.log("[main] \u{1b}[32mok\u{1b}[0m\ttab"))
    return items
  }()

  @Test("logs interleaved with records come out in order, control characters kept")
  func interleaved() {
    #expect(S.decodeAll(Self.stream) == Self.expected)
  }

  @Test("a stream split into two chunks at every byte position decodes the same")
  func everySplit() {
    for split in 0...Self.stream.count {
      var decoder = TelemetryDecoder()
      var items: [Item] = []
      decoder.decode(SerialChunk(bytes: Array(Self.stream[..<split]))) { items.append(Item($0)) }
      decoder.decode(SerialChunk(bytes: Array(Self.stream[split...]))) { items.append(Item($0)) }
      #expect(items == Self.expected, "split at \(split)")
    }
  }

  @Test("lines cut at the limit decode the same at every split, a CR just before the cut too")
  func everySplitOfCutLines() {
    // Found by fuzzing: a CR LF split after a line cut at the limit gave an extra empty line.
    // And a line ending in CR CR LF lost both CRs when whole, one when split.
    var stream = Array((String(repeating: "A", count: 16) + String(repeating: "B", count: 16)).utf8)
    stream += Array("\r\nshort\r\n".utf8) + Array(String(repeating: "C", count: 40).utf8) + [0x0A]
    stream += Array((String(repeating: "D", count: 20) + "\r\r\n").utf8)
    var whole = TelemetryDecoder(maxLineLength: 16)
    var expected: [Item] = []
    whole.decode(SerialChunk(bytes: stream)) { expected.append(Item($0)) }
    #expect(expected.count == 8, "\(expected)")
    #expect(expected.last == .log("DDDD\r"), "one CR before the LF is the terminator, not two")
    for split in 0...stream.count {
      var decoder = TelemetryDecoder(maxLineLength: 16)
      var items: [Item] = []
      decoder.decode(SerialChunk(bytes: Array(stream[..<split]))) { items.append(Item($0)) }
      decoder.decode(SerialChunk(bytes: Array(stream[split...]))) { items.append(Item($0)) }
      #expect(items == expected, "split at \(split)")
    }
  }

  @Test("a stream fed one byte at a time decodes the same")
  func byteByByte() {
    var decoder = TelemetryDecoder()
    var items: [Item] = []
    for byte in Self.stream {
      decoder.decode(SerialChunk(bytes: [byte])) { items.append(Item($0)) }
    }
    #expect(items == Self.expected)
  }

  @Test("a record after log text on one line gives the log fragment and the record")
  func recordAfterLogText() {
    let frame = TelemetryMessage(nonce: S.nonce, record: .frame(S.frame))
    let bytes = Array("[dbg] x=~T and ~Tx then ".utf8) + TelemetryEncoder.encode(frame)
    #expect(S.decodeAll(bytes) == [.log("[dbg] x=~T and ~Tx then "), .record(frame)])
  }

  @Test("a line is stamped with the arrival of the chunk that completed it")
  func arrival() {
    let line = TelemetryEncoder.encode(S.messages[4])
    let first = ContinuousClock.now
    let second = first.advanced(by: .milliseconds(3))
    var decoder = TelemetryDecoder()
    var items: [ConsoleItem] = []
    decoder.decode(SerialChunk(bytes: Array(line[..<10]), arrival: first)) { items.append($0) }
    #expect(items.isEmpty)
    decoder.decode(SerialChunk(bytes: Array(line[10...]) + Array("log".utf8), arrival: second)) {
      items.append($0)
    }
    #expect(items == [.record(S.messages[4], arrival: second)])
    decoder.finish { items.append($0) }
    #expect(items.last == .log("log", arrival: second))
  }

  @Test("an overlong log line is cut into log lines and nothing is reported damaged")
  func overlongLog() {
    let long = String(repeating: "0123456789", count: 13)
    let bytes = Array((long + "\r\nnext\n").utf8)
    let items = S.decodeAll(bytes, maxLineLength: 50)
    let expected: [Item] = [
      .log(String(long.prefix(50))), .log(String(long.dropFirst(50).prefix(50))),
      .log(String(long.suffix(30))), .log("next"),
    ]
    #expect(items == expected)
    // Fed in small chunks, the line is cut the same way.
    var decoder = TelemetryDecoder(maxLineLength: 50)
    var chunked: [Item] = []
    for start in stride(from: 0, to: bytes.count, by: 7) {
      let chunk = Array(bytes[start..<min(start + 7, bytes.count)])
      decoder.decode(SerialChunk(bytes: chunk)) { chunked.append(Item($0)) }
    }
    #expect(chunked == expected)
  }

  @Test("an overlong record line is tooLong, the rest of it is dropped, the next line decodes")
  func overlongRecord() {
    let body = "~T1 ack 00000001 cmd=start extra=" + String(repeating: "x", count: 100)
    let ack = TelemetryEncoder.encode(S.messages[4])
    let bytes = S.line(body) + ack
    for size in [1, 5, 64, bytes.count] {
      var decoder = TelemetryDecoder(maxLineLength: 64)
      var items: [Item] = []
      for start in stride(from: 0, to: bytes.count, by: size) {
        let chunk = Array(bytes[start..<min(start + size, bytes.count)])
        decoder.decode(SerialChunk(bytes: chunk)) { items.append(Item($0)) }
      }
      #expect(
        items == [.damaged(String(body.prefix(64)), .tooLong), .record(S.messages[4])], "\(size)")
    }
  }

  @Test("a line exactly at the limit with CR LF is not cut")
  func exactLimit() {
    let text = String(repeating: "a", count: 40)
    var decoder = TelemetryDecoder(maxLineLength: 40)
    var items: [Item] = []
    for byte in Array((text + "\r\n").utf8) {
      decoder.decode(SerialChunk(bytes: [byte])) { items.append(Item($0)) }
    }
    #expect(items == [.log(text)])
  }

  @Test("a ~T2 line on the console is reported as an unsupported version")
  func otherVersionOnConsole() {
    let items = S.decodeAll(S.line("~T2 frame 00000001 seq=1"))
    #expect(
      items == [
        .damaged(S.text(S.line("~T2 frame 00000001 seq=1").dropLast(2)), .unsupportedVersion(2))
      ])
  }

  @Test("garbage and damaged records never crash and never decode as a record that was not sent")
  func fuzz() {
    var random = SeededGenerator(seed: 0x5EED_1062)
    let originals = S.messages
    let encoded = originals.map(TelemetryEncoder.encode)
    var recordsSeen = 0
    for round in 0..<1500 {
      var bytes: [UInt8] = []
      var intact = 0
      for _ in 0..<Int.random(in: 1...12, using: &random) {
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
          bytes += (0..<Int.random(in: 0...300, using: &random)).map { _ in
            UInt8.random(in: 0...255, using: &random)
          }
        case 1:
          var line = encoded.randomElement(using: &random)!
          for _ in 0..<Int.random(in: 1...3, using: &random) {
            line[Int.random(in: 0..<line.count, using: &random)] = UInt8.random(
              in: 0...255, using: &random)
          }
          bytes += line
        case 2:
          let line = encoded.randomElement(using: &random)!
          bytes += line[..<Int.random(in: 0..<line.count, using: &random)]
        case 3:
          bytes += Array("~T1 ~T2 ~T ~T9999999999999 ~H1 \r\n*=".utf8).shuffled(using: &random)
        default:
          bytes += [10]
          bytes += encoded.randomElement(using: &random)!
          intact += 1
        }
      }
      let whole = S.decodeAll(bytes)
      var decoder = TelemetryDecoder(maxLineLength: Int.random(in: 16...600, using: &random))
      var chunked: [Item] = []
      var start = 0
      while start < bytes.count {
        let end = min(bytes.count, start + Int.random(in: 1...400, using: &random))
        decoder.decode(SerialChunk(bytes: Array(bytes[start..<end]))) { chunked.append(Item($0)) }
        start = end
      }
      decoder.finish { chunked.append(Item($0)) }
      var records = 0
      for item in whole + chunked {
        if case .record(let message) = item {
          records += 1
          #expect(originals.contains(message), "round \(round): \(message)")
        }
      }
      let wholeRecords = whole.filter { if case .record = $0 { true } else { false } }.count
      #expect(wholeRecords >= intact, "round \(round)")
      recordsSeen += records
    }
    #expect(recordsSeen > 1000)
  }
}
