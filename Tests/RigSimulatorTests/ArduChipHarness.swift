// SPDX-License-Identifier: Apache-2.0
import RigEmulatorCore

/// Drives the C register model the way the stock ArduCAM driver does, one CS window per call,
/// with a hand-moved clock and every event recorded.
final class ArduChipHarness {
  let chip: UnsafeMutablePointer<arduchip_t>
  let ram: UnsafeMutablePointer<UInt8>
  let ramSize: Int
  var clockMicros: UInt64 = 0
  var events: [arduchip_event_t] = []

  init(ramSize: Int = 64 * 1024, configure: (inout arduchip_config_t) -> Void = { _ in }) {
    self.ramSize = ramSize
    chip = .allocate(capacity: 1)
    ram = .allocate(capacity: ramSize)
    var config = arduchip_config_t()
    arduchip_default_config(&config)
    configure(&config)
    arduchip_init(chip, &config, ram, UInt32(ramSize), nil, nil, nil)
    // Hooked up after init: `self` is only usable once every stored property is set.
    chip.pointee.clock = { context in
      Unmanaged<ArduChipHarness>.fromOpaque(context!).takeUnretainedValue().clockMicros
    }
    chip.pointee.on_event = { context, event in
      Unmanaged<ArduChipHarness>.fromOpaque(context!).takeUnretainedValue().events
        .append(event!.pointee)
    }
    chip.pointee.context = Unmanaged.passUnretained(self).toOpaque()
  }

  deinit {
    chip.deallocate()
    ram.deallocate()
  }

  var counters: arduchip_counters_t { arduchip_counters(chip).pointee }

  /// `CS↓, [0x80|addr], [value], CS↑`, as `ArduCAM::write_reg`.
  func writeRegister(_ address: UInt8, _ value: UInt8) {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, 0x80 | address)
    _ = arduchip_spi_transfer(chip, value)
    arduchip_spi_end(chip)
  }

  /// `CS↓, [addr], [0x00] → value, CS↑`, as `ArduCAM::read_reg`.
  func readRegister(_ address: UInt8) -> UInt8 {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, address & 0x7F)
    let value = arduchip_spi_transfer(chip, 0x00)
    arduchip_spi_end(chip)
    return value
  }

  /// The MISO bytes of one whole CS window.
  func window(_ mosi: [UInt8]) -> [UInt8] {
    arduchip_spi_begin(chip)
    defer { arduchip_spi_end(chip) }
    return mosi.map { arduchip_spi_transfer(chip, $0) }
  }

  /// `read_fifo_length()`: 0x42–0x44, masked as the driver does.
  func fifoLength() -> Int {
    let low = Int(readRegister(0x42))
    let mid = Int(readRegister(0x43))
    let high = Int(readRegister(0x44) & 0x7F)
    return (high << 16 | mid << 8 | low) & 0x7F_FFFF
  }

  /// One burst window: `CS↓, 0x3C, count dummy bytes, CS↑`.
  func burst(_ count: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, 0x3C)
    out.withUnsafeMutableBufferPointer {
      arduchip_spi_transfer_block(chip, nil, $0.baseAddress, count)
    }
    arduchip_spi_end(chip)
    return out
  }

  /// The FIFO read in chunked burst windows (the pointer must carry over between them).
  func chunkedBurst(total: Int, chunk: Int = 256) -> [UInt8] {
    var out: [UInt8] = []
    while out.count < total { out += burst(min(chunk, total - out.count)) }
    return out
  }

  func singleFifoRead() -> UInt8 {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, 0x3D)
    let value = arduchip_spi_transfer(chip, 0x00)
    arduchip_spi_end(chip)
    return value
  }

  @discardableResult
  func stream(_ bytes: [UInt8], tag: UInt32) -> Int32 {
    bytes.withUnsafeBufferPointer {
      arduchip_stream_frame(chip, $0.baseAddress, UInt32($0.count), tag)
    }
  }

  /// The TFLM sketch's capture: clear, start, poll CAP_DONE, clear (before the length), length,
  /// then the data in 256-byte burst windows. Nil if CAP_DONE did not come within `polls` reads.
  func stockCapture(polls: Int = 16) -> [UInt8]? {
    writeRegister(0x04, 0x01)
    writeRegister(0x04, 0x02)
    var done = false
    for _ in 0..<polls where !done { done = readRegister(0x41) & 0x08 != 0 }
    guard done else { return nil }
    writeRegister(0x04, 0x01)
    return chunkedBurst(total: fifoLength())
  }

  func i2cWrite(_ reg: UInt8, _ value: UInt8, address: UInt8 = 0x30) -> Bool {
    arduchip_i2c_write(chip, address, reg, value) == 1
  }

  func i2cRead(_ reg: UInt8, address: UInt8 = 0x30) -> UInt8? {
    var value: UInt8 = 0
    return arduchip_i2c_read(chip, address, reg, &value) == 1 ? value : nil
  }

  func fault(_ kind: arduchip_fault_kind_t, _ mode: arduchip_fault_mode_t, param: UInt32 = 0) {
    arduchip_set_fault(chip, kind, mode, param)
  }

  func events(_ kind: arduchip_event_kind_t) -> [arduchip_event_t] {
    events.filter { $0.kind == kind }
  }
}

/// A recognisable test frame: byte i is a mix of i and the seed.
func testFrame(_ length: Int, seed: UInt8 = 0) -> [UInt8] {
  (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed) &* 31 &+ ($0 >> 8)) }
}
