// SPDX-License-Identifier: Apache-2.0

/// What CONFIG tells the emulator: the frames the host streams and how the register model answers.
public struct EmulatorLinkConfig: Sendable, Equatable {
  public var format: PixelFormat
  public var width: Int
  public var height: Int
  /// Value of register 0x40.
  public var version: UInt8
  /// Byte the FIFO returns past the end of a frame.
  public var fill: UInt8
  /// One leading dummy byte after 0x3C, as an old ArduChip sends.
  public var burstDummy: Bool
  /// From START (or the frame arriving, in lockstep) to CAP_DONE.
  public var captureDelayMicros: UInt32
  /// MAX_FIFO_SIZE of the emulated module; `len_oversize` reports it. 0: the Mini 2MP's.
  public var maxFIFO: UInt32

  /// A configuration; the defaults are the register model's.
  public init(
    format: PixelFormat, width: Int, height: Int, version: UInt8 = 0x73, fill: UInt8 = 0,
    burstDummy: Bool = false, captureDelayMicros: UInt32 = 0, maxFIFO: UInt32 = 0
  ) {
    self.format = format
    self.width = width
    self.height = height
    self.version = version
    self.fill = fill
    self.burstDummy = burstDummy
    self.captureDelayMicros = captureDelayMicros
    self.maxFIFO = maxFIFO
  }
}
