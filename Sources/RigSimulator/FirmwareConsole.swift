// SPDX-License-Identifier: Apache-2.0
import RigAgent

/// The counting firmware's console: the C agent that formats records and parses commands, over
/// the virtual UART's transmit path.
final class FirmwareConsole {
  /// The agent; use only from the firmware's thread.
  let agent: UnsafeMutablePointer<rig_agent_t>
  private let board: VirtualBoard
  private let epoch: UInt64
  /// Damages the next line after the agent has checksummed it (the `corrupt_record` fault).
  var corruptNextLine = false

  init(board: VirtualBoard, epoch: UInt64) {
    self.board = board
    self.epoch = epoch
    agent = .allocate(capacity: 1)
    rig_agent_init(
      agent,
      { context, bytes, length in
        guard let context, let bytes else { return }
        Unmanaged<FirmwareConsole>.fromOpaque(context).takeUnretainedValue()
          .transmit(UnsafeBufferPointer(start: bytes, count: length))
      },
      Unmanaged.passUnretained(self).toOpaque())
  }

  deinit {
    agent.deallocate()
  }

  private func transmit(_ line: UnsafeBufferPointer<UInt8>) {
    var bytes = Array(line)
    if corruptNextLine {
      corruptNextLine = false
      Self.damage(&bytes)
    }
    board.transmit(bytes, epoch: epoch)
  }

  /// Bytes straight onto the wire, past the agent: line noise.
  func transmitRaw(_ bytes: [UInt8]) {
    board.transmit(bytes, epoch: epoch)
  }

  /// Flips the case bit of a letter or digit near the middle of the line, so the line stays one
  /// line (never a new CR or LF) but no longer matches its checksum.
  static func damage(_ line: inout [UInt8]) {
    guard !line.isEmpty else { return }
    let middle = line.count / 2
    for offset in 0..<line.count {
      let i = (middle + offset) % line.count
      let byte = line[i]
      let isDigit = (0x30...0x39).contains(byte)
      let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
      if isDigit || isLetter {
        line[i] = byte ^ 0x20
        return
      }
    }
  }
}
