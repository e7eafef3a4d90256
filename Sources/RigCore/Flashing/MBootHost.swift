// SPDX-License-Identifier: Apache-2.0

/// The host side of the MBoot serial protocol (docs/flashing-protocols.md §4): framed commands
/// and data, every frame ACKed by its receiver, a NAKed frame sent again (up to `retries`
/// times), a damaged frame from the device answered with NAK.
final class MBootHost {
  /// A failure of one command, before the flasher names the stage.
  struct Failure: Error {
    var command: MBootCommand
    var status: MBootStatus?
    var detail: String
    var timedOut: Bool
  }

  private let io: SerialByteReader
  private let log: FlashLog
  private let retries: Int
  /// How long the flashloader has to ACK a frame (its response may take longer: an erase).
  private let ackTimeout: Duration
  /// Line rate in bytes per second (for timeouts that grow with frame size), 0 if unknown.
  private let bytesPerSecond: Double
  private var decoder = MBootFrameDecoder()
  private var events: [MBootFrameDecoder.Event] = []
  /// Frames resent after a NAK, and device frames NAKed for a bad CRC, over the session.
  private(set) var resent = 0
  private(set) var nakked = 0

  init(io: SerialByteReader, log: FlashLog, retries: Int, ackTimeout: Duration, bytesPerSecond: Double) {
    self.io = io
    self.log = log
    self.retries = retries
    self.ackTimeout = ackTimeout
    self.bytesPerSecond = bytesPerSecond
  }

  /// Time `bytes` take on the line, doubled, plus `base`.
  private func allowance(_ bytes: Int, base: Duration) -> Duration {
    bytesPerSecond > 0 ? base + .seconds(Double(bytes) * 2 / bytesPerSecond) : base
  }

  // MARK: - Ping

  /// Pings until the flashloader answers or `within` passes; returns its protocol version.
  func ping(within: Duration, interval: Duration = .milliseconds(100)) async throws -> UInt32 {
    let deadline = ContinuousClock.now + within
    var tries = 0
    while ContinuousClock.now < deadline {
      tries += 1
      // Both ping bytes in one write: the flashloader's autobaud needs them back to back.
      try await io.write(MBootFrame.ping.bytes, deadline: deadline)
      let answer = ContinuousClock.now + max(interval, allowance(10, base: .milliseconds(50)))
      while let event = try await nextEvent(until: min(answer, deadline)) {
        if case .frame(.pingResponse(let version, let options)) = event {
          log.add("MBoot ping answered after \(tries) ping(s): protocol \(hex32(version)), options \(options)")
          return version
        }
      }
    }
    throw Failure(
      command: .other(MBootPacket(tag: 0, parameters: [])), status: nil,
      detail: "the flashloader did not answer \(tries) pings within \(within)", timedOut: true)
  }

  // MARK: - Commands

  /// Sends a command without a data phase and returns its response (status not checked).
  func send(_ command: MBootCommand, timeout: Duration) async throws -> MBootResponse {
    try await sendFrame(.command(command.packet.bytes), for: command, timeout: timeout)
    let response = try await receiveResponse(for: command, timeout: timeout)
    log.add("MBoot \(command): \(response)")
    return response
  }

  /// Sends a command and requires a generic response with status success.
  func run(_ command: MBootCommand, timeout: Duration) async throws {
    let response = try await send(command, timeout: timeout)
    guard case .generic(let status, let tag) = response, tag == command.tag else {
      throw Failure(command: command, status: response.status, detail: "unexpected answer \(response)", timedOut: false)
    }
    guard status.isSuccess else {
      throw Failure(command: command, status: status, detail: "the flashloader refused the command", timedOut: false)
    }
  }

  /// A property's values; throws on a non-success status.
  func property(_ property: MBootProperty, memoryID: UInt32 = 0, timeout: Duration) async throws -> [UInt32] {
    let command = MBootCommand.getProperty(property, memoryID: memoryID)
    let response = try await send(command, timeout: timeout)
    guard case .getProperty(let status, let values) = response else {
      throw Failure(command: command, status: response.status, detail: "unexpected answer \(response)", timedOut: false)
    }
    guard status.isSuccess, !values.isEmpty else {
      throw Failure(command: command, status: status, detail: "the flashloader has no value for it", timedOut: false)
    }
    return values
  }

  // MARK: - Data phases

  /// WriteMemory of `bytes` at `address` in DATA frames of `chunk` bytes.
  func write(
    _ bytes: [UInt8], to address: UInt32, memoryID: UInt32, chunk: Int, timeout: Duration,
    progress: (Int) -> Void
  ) async throws {
    let command = MBootCommand.writeMemory(address: address, count: UInt32(bytes.count), memoryID: memoryID)
    try await sendFrame(.command(command.packet.bytes), for: command, timeout: timeout)
    let goAhead = try await receiveResponse(for: command, timeout: timeout)
    guard case .generic(let status, _) = goAhead, status.isSuccess else {
      throw Failure(
        command: command, status: goAhead.status, detail: "the flashloader refused to start the data phase",
        timedOut: false)
    }
    var offset = 0
    while offset < bytes.count {
      let end = min(offset + chunk, bytes.count)
      let accepted = try await sendFrame(.data(Array(bytes[offset..<end])), for: command, timeout: timeout)
      if !accepted {
        // ACK-ABORT: the final response says why.
        let final = try await receiveResponse(for: command, timeout: timeout)
        log.add("MBoot \(command): aborted at byte \(offset): \(final)")
        throw Failure(
          command: command, status: final.status,
          detail: "the flashloader aborted the data phase at \(hex32(address &+ UInt32(offset)))", timedOut: false)
      }
      offset = end
      progress(offset)
    }
    let final = try await receiveResponse(for: command, timeout: timeout)
    log.add("MBoot \(command): \(final)")
    guard case .generic(let done, _) = final, done.isSuccess else {
      throw Failure(command: command, status: final.status, detail: "the write did not complete", timedOut: false)
    }
  }

  /// ReadMemory of `count` bytes at `address`.
  func read(
    _ count: Int, from address: UInt32, memoryID: UInt32, timeout: Duration, progress: (Int) -> Void
  ) async throws -> [UInt8] {
    let command = MBootCommand.readMemory(address: address, count: UInt32(count), memoryID: memoryID)
    try await sendFrame(.command(command.packet.bytes), for: command, timeout: timeout)
    let first = try await receiveResponse(for: command, timeout: timeout)
    guard case .readMemory(let status, let length) = first, status.isSuccess else {
      throw Failure(command: command, status: first.status, detail: "the flashloader refused the read", timedOut: false)
    }
    var data: [UInt8] = []
    data.reserveCapacity(Int(length))
    while data.count < Int(length) {
      let frame = try await receiveFrame(for: command, timeout: allowance(1100, base: timeout))
      guard case .data(let chunk) = frame else {
        throw Failure(command: command, status: nil, detail: "expected a data frame, got \(frame)", timedOut: false)
      }
      guard !chunk.isEmpty else {
        throw Failure(command: command, status: nil, detail: "the flashloader aborted the data phase", timedOut: false)
      }
      data += chunk
      progress(data.count)
    }
    let final = try await receiveResponse(for: command, timeout: timeout)
    log.add("MBoot \(command): \(data.count) bytes, \(final)")
    guard case .generic(let done, _) = final, done.isSuccess else {
      throw Failure(command: command, status: final.status, detail: "the read did not complete", timedOut: false)
    }
    return data
  }

  // MARK: - Frames

  /// Sends a frame and waits for its ACK, resending on NAK; false on ACK-ABORT.
  @discardableResult
  private func sendFrame(_ frame: MBootFrame, for command: MBootCommand, timeout _: Duration) async throws -> Bool {
    let timeout = ackTimeout
    let bytes = frame.bytes
    var attempt = 0
    while true {
      try await io.write(bytes, deadline: .now + allowance(bytes.count, base: timeout))
      let deadline = ContinuousClock.now + allowance(bytes.count, base: timeout)
      var answer: MBootFrame?
      while answer == nil {
        guard let event = try await nextEvent(until: deadline) else {
          throw Failure(
            command: command, status: nil,
            detail: "no ACK for a \(frame) frame within \(allowance(bytes.count, base: timeout))",
            timedOut: true)
        }
        switch event {
        case .frame(.ack), .frame(.nak), .frame(.ackAbort): answer = event.frame
        default: continue
        }
      }
      switch answer {
      case .ack: return true
      case .ackAbort: return false
      default:
        attempt += 1
        resent += 1
        log.add("MBoot \(command): \(frame) frame NAKed, sending it again (\(attempt) of \(retries))")
        guard attempt <= retries else {
          throw Failure(
            command: command, status: nil,
            detail: "the flashloader NAKed a \(frame) frame \(attempt) times (bad CRC on the line each time)",
            timedOut: false)
        }
      }
    }
  }

  /// The next command or data frame from the device, ACKed; a damaged one is NAKed and awaited
  /// again.
  private func receiveFrame(for command: MBootCommand, timeout: Duration) async throws -> MBootFrame {
    let deadline = ContinuousClock.now + timeout
    var damaged = 0
    while true {
      guard let event = try await nextEvent(until: deadline) else {
        throw Failure(command: command, status: nil, detail: "no answer within \(timeout)", timedOut: true)
      }
      switch event {
      case .frame(let frame):
        switch frame {
        case .command, .data:
          try await io.write(MBootFrame.ack.bytes, deadline: .now + timeout)
          return frame
        default:
          continue
        }
      case .badCRC(let type, let expected, let received):
        damaged += 1
        nakked += 1
        log.add(
          "MBoot \(command): \(type) frame with CRC \(hex4(received)), expected \(hex4(expected)); "
            + "NAK (\(damaged) of \(retries))")
        guard damaged <= retries else {
          throw Failure(
            command: command, status: nil,
            detail: "\(damaged) frames from the flashloader arrived with a bad CRC", timedOut: false)
        }
        try await io.write(MBootFrame.nak.bytes, deadline: .now + timeout)
      }
    }
  }

  private func receiveResponse(for command: MBootCommand, timeout: Duration) async throws -> MBootResponse {
    let frame = try await receiveFrame(for: command, timeout: timeout)
    guard case .command(let payload) = frame, let packet = MBootPacket(bytes: payload) else {
      throw Failure(command: command, status: nil, detail: "expected a response packet, got \(frame)", timedOut: false)
    }
    return MBootResponse(packet: packet)
  }

  private func nextEvent(until deadline: ContinuousClock.Instant) async throws -> MBootFrameDecoder.Event? {
    while events.isEmpty {
      let bytes = try await io.available(until: deadline)
      if bytes.isEmpty { return nil }
      decoder.decode(bytes) { events.append($0) }
    }
    return events.removeFirst()
  }
}

extension MBootFrameDecoder.Event {
  var frame: MBootFrame? {
    if case .frame(let frame) = self { return frame }
    return nil
  }
}

func hex4(_ value: UInt16) -> String {
  let digits = String(value, radix: 16, uppercase: true)
  return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
}
