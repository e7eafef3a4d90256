// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore

/// The C ArduChip register model with its frame RAM, as the simulated bench's camera emulator.
///
/// Not thread-safe by itself: every use happens under `VirtualBoard.signal`, because the DUT
/// thread clocks SPI transactions while host tasks queue frames.
final class EmulatorCore {
  /// Frame RAM the emulator models: an RP2040 keeps about this much free for frames.
  static let ramBytes = 256 * 1024

  let chip: UnsafeMutablePointer<arduchip_t>
  private let ram: UnsafeMutablePointer<UInt8>
  private let events: DeadlineQueue<EmulatorEvent>
  private let microseconds: @Sendable () -> UInt64

  /// - Parameters:
  ///   - events: where capture and read events go, for `CameraEmulator.nextEvent(until:)`.
  ///   - microseconds: the emulator's clock.
  init(events: DeadlineQueue<EmulatorEvent>, microseconds: @escaping @Sendable () -> UInt64) {
    self.events = events
    self.microseconds = microseconds
    chip = .allocate(capacity: 1)
    ram = .allocate(capacity: Self.ramBytes)
    ram.initialize(repeating: 0, count: Self.ramBytes)
    var config = arduchip_config_t()
    arduchip_default_config(&config)
    arduchip_init(chip, &config, ram, UInt32(Self.ramBytes), nil, nil, nil)
    // The callbacks need `self`, which exists only once every stored property is set.
    chip.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    chip.pointee.clock = { context in
      Unmanaged<EmulatorCore>.fromOpaque(context!).takeUnretainedValue().microseconds()
    }
    chip.pointee.on_event = { context, event in
      guard let event else { return }
      Unmanaged<EmulatorCore>.fromOpaque(context!).takeUnretainedValue().forward(event.pointee)
    }
  }

  deinit {
    chip.deinitialize(count: 1)
    chip.deallocate()
    ram.deallocate()
  }

  private func forward(_ event: arduchip_event_t) {
    let index = Int(event.tag)
    switch event.kind {
    case ARDUCHIP_EVENT_CAPTURE_START:
      events.push(.captureStarted(sequence: event.sequence, micros: event.time_us))
    case ARDUCHIP_EVENT_CAPTURE_DONE:
      events.push(
        .captureDone(
          sequence: event.sequence, frameIndex: index, length: Int(event.length),
          micros: event.time_us))
    case ARDUCHIP_EVENT_READ_DONE:
      events.push(
        .readDone(
          sequence: event.sequence, frameIndex: index, bytesRead: Int(event.bytes_read),
          crc32: event.crc32, micros: event.time_us))
    default:
      break
    }
  }

  /// Frames that fit queued at once for frames of `frameBytes`: one more is always latched for
  /// the DUT, and the C model's slot and queue tables bound it too.
  static func queueCapacity(frameBytes: Int) -> Int {
    let aligned =
      (max(frameBytes, 1) + Int(ARDUCHIP_RAM_ALIGN) - 1) & ~(Int(ARDUCHIP_RAM_ALIGN) - 1)
    let fitting = ramBytes / aligned - 1
    return max(1, min(fitting, Int(ARDUCHIP_MAX_SLOTS) - 1, Int(ARDUCHIP_QUEUE_DEPTH) - 1))
  }

  /// Loads a frame and queues it; throws a message naming the limit it hit.
  func stream(_ frame: EmulatorFrame) throws {
    let result = frame.bytes.withUnsafeBufferPointer { bytes in
      arduchip_stream_frame(
        chip, bytes.baseAddress, UInt32(bytes.count), UInt32(truncatingIfNeeded: frame.index))
    }
    guard result < 0 else { return }
    let depth = arduchip_queue_depth(chip)
    let why: String
    switch result {
    case ARDUCHIP_ERR_QUEUE_FULL.rawValue, ARDUCHIP_ERR_NO_SLOT.rawValue:
      why = "the queue is full (\(depth) frames waiting)"
    case ARDUCHIP_ERR_NO_RAM.rawValue:
      why = "no room in its \(Self.ramBytes / 1024) KiB of frame RAM (\(depth) frames waiting)"
    default:
      why = "the register model refused it (code \(result))"
    }
    throw RigError(
      .hardwareFault,
      "simulated camera emulator: cannot queue frame \(frame.index) of \(frame.bytes.count) bytes: "
        + "\(why) (keep at most queueCapacity frames ahead of the DUT)")
  }

  func status() -> EmulatorStatus {
    let c = arduchip_counters(chip).pointee
    return EmulatorStatus(
      queued: Int(arduchip_queue_depth(chip)), capturesStarted: Int(c.captures_started),
      framesServed: Int(c.frames_served), bytesRead: Int(c.bytes_read),
      unknownAccesses: Int(c.unknown_accesses))
  }

  // MARK: - The DUT's side: the stock ArduCAM driver's bus operations

  /// `write_reg`: `CS↓, [0x80|addr], [value], CS↑`.
  func writeRegister(_ address: UInt8, _ value: UInt8) {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, 0x80 | address)
    _ = arduchip_spi_transfer(chip, value)
    arduchip_spi_end(chip)
  }

  /// `read_reg`: `CS↓, [addr], [0x00] → value, CS↑`.
  func readRegister(_ address: UInt8) -> UInt8 {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, address & 0x7F)
    let value = arduchip_spi_transfer(chip, 0x00)
    arduchip_spi_end(chip)
    return value
  }

  /// The driver's sensor check over I2C: bank 1, then chip id 0x0A/0x0B = 0x26/0x42.
  func sensorIdentified() -> Bool {
    let address = UInt8(ARDUCHIP_SENSOR_ADDRESS)
    var pid: UInt8 = 0
    var version: UInt8 = 0
    guard arduchip_i2c_write(chip, address, UInt8(ARDUCHIP_SENSOR_BANK_REG), 0x01) == 1,
      arduchip_i2c_read(chip, address, 0x0A, &pid) == 1,
      arduchip_i2c_read(chip, address, 0x0B, &version) == 1
    else { return false }
    return pid == UInt8(ARDUCHIP_SENSOR_PID) && version == UInt8(ARDUCHIP_SENSOR_VER)
  }

  /// One burst window: `CS↓, [0x3C], count dummy bytes → FIFO bytes, CS↑`.
  func burstRead(into buffer: UnsafeMutablePointer<UInt8>, count: Int) {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, UInt8(ARDUCHIP_REG_BURST_FIFO_READ))
    arduchip_spi_transfer_block(chip, nil, buffer, count)
    arduchip_spi_end(chip)
  }
}
