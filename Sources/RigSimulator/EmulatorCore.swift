// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore
import RigEmulatorCore

/// The simulated camera emulator's device: the C ArduChip register model with its frame RAM and
/// the C device side of the link protocol (`emulink`), exactly as they run in emulator firmware.
///
/// Not thread-safe by itself: every use happens under the owner's lock (`VirtualBoard.signal`,
/// or `SimulatedEmulator`'s), because the DUT side clocks SPI transactions while the link side
/// receives host messages.
final class EmulatorCore {
  /// Frame RAM the emulator models by default: an RP2040 keeps about this much free for frames.
  static let defaultRAMBytes = 256 * 1024
  static let firmwareName = "rig simulated emulator 1.0"

  let chip: UnsafeMutablePointer<arduchip_t>
  let link: UnsafeMutablePointer<emulink_t>
  let ramBytes: Int
  private let ram: UnsafeMutablePointer<UInt8>
  private let name: UnsafeMutablePointer<CChar>
  private let microseconds: @Sendable () -> UInt64
  /// Called (under the owner's lock) whenever the link has bytes for the host.
  var onOutput: (() -> Void)?

  /// - Parameters:
  ///   - ramBytes: the emulator's frame RAM.
  ///   - microseconds: the emulator's clock.
  init(ramBytes: Int = defaultRAMBytes, microseconds: @escaping @Sendable () -> UInt64) {
    self.ramBytes = ramBytes
    self.microseconds = microseconds
    chip = .allocate(capacity: 1)
    link = .allocate(capacity: 1)
    ram = .allocate(capacity: ramBytes)
    ram.initialize(repeating: 0, count: ramBytes)
    name = strdup(Self.firmwareName)
    var config = arduchip_config_t()
    arduchip_default_config(&config)
    arduchip_init(chip, &config, ram, UInt32(ramBytes), nil, nil, nil)
    var identity = emulink_identity_t(
      name: UnsafePointer(name), variant: UInt8(EMULINK_VARIANT_MINI_2MP),
      formats: UInt8(EMULINK_FORMATS_ALL), max_payload: 0)
    // The callbacks need `self`, which exists only once every stored property is set.
    emulink_init(
      link, chip, &identity,
      { context in Unmanaged<EmulatorCore>.fromOpaque(context!).takeUnretainedValue().microseconds() },
      { context in Unmanaged<EmulatorCore>.fromOpaque(context!).takeUnretainedValue().onOutput?() },
      nil)
    link.pointee.context = Unmanaged.passUnretained(self).toOpaque()
  }

  deinit {
    link.deallocate()
    chip.deallocate()
    ram.deallocate()
    free(name)
  }

  // MARK: - The host's side: the link

  /// Feeds bytes from the host; returns how many were taken (fewer when replies wait to be sent).
  func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
    return emulink_receive(link, base.assumingMemoryBound(to: UInt8.self), bytes.count)
  }

  /// Everything the link has to send, taken out of its ring.
  func takeOutput() -> [UInt8] {
    var out: [UInt8] = []
    while true {
      var data: UnsafePointer<UInt8>?
      let n = emulink_tx_peek(link, &data)
      guard n > 0, let data else { return out }
      out.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
      emulink_tx_consume(link, n)
    }
  }

  /// Stale input and capture delays: what the clock says is due.
  func poll() {
    emulink_poll(link)
  }

  /// When `poll` next has work, in emulator microseconds (`.max` for never).
  var nextWakeMicros: UInt64 { emulink_next_wake_us(link) }

  /// What the host said it streams (CONFIG): the format and size the virtual firmware expects.
  var setup: CameraSetup {
    let l = link.pointee
    let format: PixelFormat =
      switch Int(l.format) {
      case Int(EMULINK_FORMAT_RGB565BE): .rgb565be
      case Int(EMULINK_FORMAT_JPEG): .jpeg
      default: .gray8
      }
    return CameraSetup(format: format, width: Int(l.width), height: Int(l.height))
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

  /// The driver's checks: SPI test register 0x00 = 0x55 written and read back.
  func spiInterfaceWorks() -> Bool {
    writeRegister(UInt8(ARDUCHIP_REG_TEST), 0x55)
    return readRegister(UInt8(ARDUCHIP_REG_TEST)) == 0x55
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

  /// Whether CAP_DONE (0x41 bit 3) is set.
  func captureDone() -> Bool {
    readRegister(UInt8(ARDUCHIP_REG_TRIG)) & UInt8(ARDUCHIP_TRIG_CAP_DONE) != 0
  }

  /// `read_fifo_length()`: 0x42–0x44, masked as the driver does.
  func fifoLength() -> Int {
    let low = Int(readRegister(UInt8(ARDUCHIP_REG_FIFO_SIZE1)))
    let mid = Int(readRegister(UInt8(ARDUCHIP_REG_FIFO_SIZE2)))
    let high = Int(readRegister(UInt8(ARDUCHIP_REG_FIFO_SIZE3)) & 0x7F)
    return (high << 16 | mid << 8 | low) & 0x7F_FFFF
  }

  /// One burst window: `CS↓, [0x3C], count dummy bytes → FIFO bytes, CS↑`.
  func burstRead(into buffer: UnsafeMutablePointer<UInt8>, count: Int) {
    arduchip_spi_begin(chip)
    _ = arduchip_spi_transfer(chip, UInt8(ARDUCHIP_REG_BURST_FIFO_READ))
    arduchip_spi_transfer_block(chip, nil, buffer, count)
    arduchip_spi_end(chip)
  }

  /// No capture in progress (after a reset, or a clear of a pending one).
  var captureIdle: Bool { chip.pointee.capture_state == UInt8(ARDUCHIP_CAPTURE_IDLE.rawValue) }

  /// When the register model's state next changes by time alone (capture delay), or `.max`.
  var chipNextWakeMicros: UInt64 { arduchip_next_wake_us(chip) }
}
