// SPDX-License-Identifier: Apache-2.0

/// The emulator's STATUS counters: the register model's since RESET, the link's since power-on.
public struct EmulatorLinkStatus: Sendable, Equatable {
  public var queueDepth: Int
  public var capturesStarted: Int
  public var framesServed: Int
  public var bytesRead: UInt64
  public var burstReads: Int
  public var singleReads: Int
  public var registerReads: Int
  public var registerWrites: Int
  public var csTransactions: Int
  public var unknownAccesses: Int
  public var clears: Int
  public var i2cWrites: Int
  public var i2cReads: Int
  /// CRC-32 over (bank, register, value) of every OV2640 register write since RESET.
  public var sensorDigest: UInt32
  public var rxMessages: Int
  public var rxBadMessages: Int
  public var rxDiscardedBytes: Int
  public var eventsSent: Int
  public var eventsDropped: Int
  public var errorsSent: Int
  /// Largest free stretch of frame RAM, bytes.
  public var largestFree: Int
  public var micros: UInt64

  /// Decodes a STATUS reply payload.
  public init(payload: [UInt8]) {
    let f = EmulatorLinkFields(payload)
    queueDepth = Int(f.u32(0))
    capturesStarted = Int(f.u32(4))
    framesServed = Int(f.u32(8))
    bytesRead = f.u64(12)
    burstReads = Int(f.u32(20))
    singleReads = Int(f.u32(24))
    registerReads = Int(f.u32(28))
    registerWrites = Int(f.u32(32))
    csTransactions = Int(f.u32(36))
    unknownAccesses = Int(f.u32(40))
    clears = Int(f.u32(44))
    i2cWrites = Int(f.u32(48))
    i2cReads = Int(f.u32(52))
    sensorDigest = f.u32(56)
    rxMessages = Int(f.u32(60))
    rxBadMessages = Int(f.u32(64))
    rxDiscardedBytes = Int(f.u32(68))
    eventsSent = Int(f.u32(72))
    eventsDropped = Int(f.u32(76))
    errorsSent = Int(f.u32(80))
    largestFree = Int(f.u32(84))
    micros = f.u64(88)
  }

  /// The counters the capability protocol reports.
  public var emulatorStatus: EmulatorStatus {
    EmulatorStatus(
      queued: queueDepth, capturesStarted: capturesStarted, framesServed: framesServed,
      bytesRead: Int(clamping: bytesRead), unknownAccesses: unknownAccesses)
  }
}
