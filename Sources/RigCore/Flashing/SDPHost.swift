// SPDX-License-Identifier: Apache-2.0

/// The host side of the ROM's Serial Download Protocol over UART (docs/flashing-protocols.md
/// §3): a 16-byte command, then the ROM's HAB mode word and, for most commands, a second word.
struct SDPHost {
  let io: SerialByteReader
  let log: FlashLog
  /// Line rate in bytes per second (for timeouts that grow with the data), 0 if unknown.
  let bytesPerSecond: Double

  /// A failure of one exchange, before the flasher names the stage.
  struct Failure: Error {
    var command: SDPCommand
    var status: String?
    var detail: String
    var timedOut: Bool
  }

  /// ERROR_STATUS: proves the ROM is listening. Returns the HAB mode and status words.
  func errorStatus(timeout: Duration) async throws -> (hab: UInt32, status: UInt32) {
    let command = SDPCommand.errorStatus
    try await io.write(command.bytes, deadline: .now + timeout)
    let reply = try await io.read(8, until: .now + timeout)
    guard reply.count == 8 else {
      throw Failure(
        command: command, status: nil,
        detail: reply.isEmpty
          ? "no answer within \(timeout): the board is not in the serial downloader (check the boot-mode "
            + "pins), the USB OTG cable is plugged in (the ROM then ignores the UART), or this is not "
            + "the board's LPUART1"
          : "only \(reply.count) of 8 reply bytes arrived: \(hexBytes(reply))",
        timedOut: true)
    }
    let hab = SDPResponse.word(reply[0..<4])
    let status = SDPResponse.word(reply[4..<8])
    log.add("SDP \(command): \(SDPResponse.describe(hab)), \(SDPResponse.describe(status))")
    guard hab == SDPResponse.habOpen || hab == SDPResponse.habClosed else {
      throw Failure(
        command: command, status: SDPResponse.describe(hab),
        detail: "the answer is not a HAB mode word (bytes \(hexBytes(reply))): something other than "
          + "the RT1062 ROM is on this port", timedOut: false)
    }
    return (hab, status)
  }

  /// WRITE_FILE: `bytes` to RAM at `address`; the ROM must answer "file complete".
  func writeFile(_ bytes: [UInt8], to address: UInt32, timeout: Duration) async throws {
    let command = SDPCommand.writeFile(address: address, count: UInt32(bytes.count))
    let transfer = bytesPerSecond > 0 ? Duration.seconds(Double(bytes.count + 16) / bytesPerSecond * 1.5) : .zero
    let deadline = ContinuousClock.now + timeout + transfer
    try await io.write(command.bytes + bytes, deadline: deadline)
    let reply = try await io.read(8, until: deadline)
    guard reply.count == 8 else {
      throw Failure(
        command: command, status: nil,
        detail: "the ROM did not confirm the \(bytes.count) bytes within \(timeout + transfer) "
          + "(got \(reply.count) of 8 reply bytes)", timedOut: true)
    }
    let done = SDPResponse.word(reply[4..<8])
    log.add("SDP \(command): \(SDPResponse.describe(SDPResponse.word(reply[0..<4]))), \(SDPResponse.describe(done))")
    guard done == SDPResponse.fileComplete else {
      throw Failure(
        command: command, status: SDPResponse.describe(done),
        detail: "the ROM did not accept the file (expected 0x88888888, file complete)", timedOut: false)
    }
  }

  /// JUMP_ADDRESS to the IVT at `ivt`: the ROM answers the HAB word and starts the image; a
  /// status word after it means the jump failed.
  func jump(to ivt: UInt32, timeout: Duration, failureWindow: Duration) async throws {
    let command = SDPCommand.jumpAddress(ivt: ivt)
    try await io.write(command.bytes, deadline: .now + timeout)
    let hab = try await io.read(4, until: .now + timeout)
    guard hab.count == 4 else {
      throw Failure(command: command, status: nil, detail: "no HAB word within \(timeout)", timedOut: true)
    }
    log.add("SDP \(command): \(SDPResponse.describe(SDPResponse.word(hab)))")
    let after = try await io.read(4, until: .now + failureWindow)
    if after.count == 4 {
      let status = SDPResponse.word(after)
      throw Failure(
        command: command, status: SDPResponse.describe(status),
        detail: "the ROM refused to start the flashloader (its IVT at \(hex32(ivt)) is invalid, or HAB "
          + "is closed and the image is not signed)", timedOut: false)
    }
  }
}

/// Bytes as `5A A1 00`, at most 32 of them.
func hexBytes<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
  let shown = bytes.prefix(32).map { hex2($0) }.joined(separator: " ")
  return bytes.count > 32 ? shown + " …" : shown
}
