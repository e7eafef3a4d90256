// SPDX-License-Identifier: Apache-2.0

/// Constants of the camera emulator link protocol, version 1 (`docs/emulator-protocol.md`).
public enum EmulatorLink {
  /// The protocol version this host speaks.
  public static let version: UInt8 = 1
  /// The two bytes every message starts with.
  public static let magic0: UInt8 = 0xE7
  public static let magic1: UInt8 = 0x5A
  /// Magic, type, flags, seq, length.
  public static let headerBytes = 8
  /// The CRC-32 after the payload.
  public static let crcBytes = 4
  /// The payload every receiver accepts before and without a handshake.
  public static let minimumPayload = 256
  /// LOAD_* with this slot address the frame being streamed.
  public static let streamSlot: UInt8 = 0xFF
  /// A fault armed for this tag applies to the next frame latched.
  public static let anyTag: UInt32 = 0xFFFF_FFFF
  /// A partial message older than this is discarded by the receiver.
  public static let staleAfter: Duration = .milliseconds(100)
  /// Bytes of a LOAD_DATA payload before the frame data: slot, offset.
  public static let loadDataPrefix = 5

  /// NOTICE codes: why the device dropped something no reply will mention.
  public enum Notice {
    /// A message failed its CRC or announced too long a payload.
    public static let badMessage: UInt16 = 1
    /// A partial message waited `staleAfter` for the rest (its sender paused mid-message).
    public static let staleMessage: UInt16 = 2
  }

  /// Message types; a successful reply is `0x80 | request`.
  public enum MessageType: UInt8, Sendable, CaseIterable {
    case hello = 0x01
    case reset = 0x02
    case config = 0x03
    case mode = 0x04
    case loadBegin = 0x05
    case loadData = 0x06
    case loadEnd = 0x07
    case free = 0x08
    case queue = 0x09
    case queueClear = 0x0A
    case status = 0x0B
    case events = 0x0C
    case fault = 0x0D
    case sync = 0x0E
    case event = 0x40
    case notice = 0x41
    case error = 0x7F

    /// The type of a successful reply to this request.
    public var reply: UInt8 { 0x80 | rawValue }

    /// The name used in the specification and in messages: `LOAD_BEGIN`.
    public var name: String {
      switch self {
      case .hello: "HELLO"
      case .reset: "RESET"
      case .config: "CONFIG"
      case .mode: "MODE"
      case .loadBegin: "LOAD_BEGIN"
      case .loadData: "LOAD_DATA"
      case .loadEnd: "LOAD_END"
      case .free: "FREE"
      case .queue: "QUEUE"
      case .queueClear: "QUEUE_CLEAR"
      case .status: "STATUS"
      case .events: "EVENTS"
      case .fault: "FAULT"
      case .sync: "SYNC"
      case .event: "EVENT"
      case .notice: "NOTICE"
      case .error: "ERROR"
      }
    }
  }

  /// The wire code of a frame format.
  public static func formatCode(_ format: PixelFormat) -> UInt8 {
    switch format {
    case .gray8: 0
    case .rgb565be: 1
    case .jpeg: 2
    }
  }

  /// The wire code of a play mode.
  public static func modeCode(_ mode: PlaybackMode) -> UInt8 {
    switch mode {
    case .lockstep: 0
    case .loop: 1
    case .hold: 2
    }
  }
}
