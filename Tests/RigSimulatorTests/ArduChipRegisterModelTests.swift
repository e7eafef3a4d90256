// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore
import Testing

@Suite("ArduChip register model")
struct ArduChipRegisterModelTests {
  @Test("the scratch register reads back what the driver wrote")
  func testRegister() {
    let h = ArduChipHarness()
    h.writeRegister(0x00, 0x55)
    #expect(h.readRegister(0x00) == 0x55)
    h.writeRegister(0x00, 0xA3)
    #expect(h.readRegister(0x00) == 0xA3)
    #expect(h.counters.unknown_accesses == 0)
  }

  @Test("a single read returns the value in the byte after the command")
  func singleReadTiming() {
    let h = ArduChipHarness()
    h.writeRegister(0x00, 0x5A)
    let miso = h.window([0x00, 0x00, 0x00])
    #expect(miso[0] == 0x00)
    #expect(miso[1] == 0x5A)
    #expect(h.readRegister(0x40) == 0x73)
  }

  @Test("the stock capture flow serves the frame and reports its CRC")
  func stockCapture() throws {
    let h = ArduChipHarness()
    // CPLD reset and SPI check, as the sketch's init does.
    h.writeRegister(0x07, 0x80)
    h.writeRegister(0x07, 0x00)
    h.writeRegister(0x00, 0x55)
    #expect(h.readRegister(0x00) == 0x55)
    let frame = testFrame(96 * 96)
    #expect(h.stream(frame, tag: 41) >= 0)
    let read = try #require(h.stockCapture())
    #expect(read == frame)

    #expect(
      h.events.map(\.kind) == [
        ARDUCHIP_EVENT_CAPTURE_START, ARDUCHIP_EVENT_CAPTURE_DONE, ARDUCHIP_EVENT_READ_DONE,
      ])
    let done = try #require(h.events(ARDUCHIP_EVENT_READ_DONE).first)
    #expect(done.sequence == 1)
    #expect(done.tag == 41)
    #expect(done.bytes_read == UInt32(frame.count))
    #expect(done.crc32 == CRC32.checksum(frame))
    let c = h.counters
    #expect(c.captures_started == 1)
    #expect(c.frames_served == 1)
    #expect(c.bytes_read == UInt64(frame.count))
    #expect(c.burst_reads == 36)
  }

  @Test("the length and data survive the clear the sketch does before reading them")
  func clearBeforeLength() {
    let h = ArduChipHarness()
    let frame = testFrame(1000)
    h.stream(frame, tag: 1)
    h.writeRegister(0x04, 0x02)
    #expect(h.readRegister(0x41) == 0x08)
    h.writeRegister(0x04, 0x01)
    #expect(h.readRegister(0x41) & 0x08 == 0)
    #expect(h.fifoLength() == 1000)
    #expect(h.chunkedBurst(total: 1000) == frame)
  }

  @Test("the burst read pointer persists across chip-select windows and single reads")
  func persistentPointer() {
    let h = ArduChipHarness()
    let frame = testFrame(600, seed: 3)
    h.stream(frame, tag: 9)
    h.writeRegister(0x04, 0x02)
    var read = h.burst(100)
    read.append(h.singleFifoRead())
    read.append(h.singleFifoRead())
    read += h.burst(98)
    read += h.chunkedBurst(total: 400, chunk: 7)
    #expect(read == frame)
    #expect(h.counters.single_reads == 2)
    // A read-pointer reset starts the frame again.
    h.writeRegister(0x04, 0x10)
    #expect(h.burst(10) == Array(frame[0..<10]))
  }

  @Test("bytes past the end of the frame read as the configured fill")
  func pastTheEnd() {
    let h = ArduChipHarness { $0.fill = 0xEE }
    let frame = testFrame(10)
    h.stream(frame, tag: 0)
    h.writeRegister(0x04, 0x02)
    #expect(h.burst(13) == frame + [0xEE, 0xEE, 0xEE])
    #expect(h.events(ARDUCHIP_EVENT_READ_DONE).count == 1)
  }

  @Test("the old-ArduChip option sends one dummy byte before the burst data")
  func burstDummy() {
    let h = ArduChipHarness {
      $0.burst_dummy = 1
      $0.fill = 0x11
    }
    let frame = testFrame(20)
    h.stream(frame, tag: 0)
    h.writeRegister(0x04, 0x02)
    let first = h.burst(11)
    #expect(first[0] == 0x11)
    #expect(Array(first[1...]) == Array(frame[0..<10]))
    #expect(Array(h.burst(11).dropFirst()) == Array(frame[10..<20]))
  }

  @Test("CAP_DONE comes after the capture delay of the caller's clock, VSYNC toggling meanwhile")
  func captureDelay() throws {
    let h = ArduChipHarness { $0.capture_delay_us = 1500 }
    h.clockMicros = 10_000
    h.stream(testFrame(64), tag: 5)
    h.writeRegister(0x04, 0x02)
    let polls = (0..<4).map { _ in h.readRegister(0x41) }
    #expect(polls.allSatisfy { $0 & 0x08 == 0 })
    #expect(Set(polls.map { $0 & 0x01 }) == [0, 1])
    #expect(h.fifoLength() == 0)
    #expect(arduchip_next_wake_us(h.chip) == 11_500)
    h.clockMicros = 11_499
    #expect(h.readRegister(0x41) & 0x08 == 0)
    h.clockMicros = 11_500
    #expect(h.readRegister(0x41) == 0x08)
    let done = try #require(h.events(ARDUCHIP_EVENT_CAPTURE_DONE).first)
    #expect(done.time_us == 11_500)
    #expect(done.tag == 5)
    #expect(done.length == 64)
    #expect(arduchip_next_wake_us(h.chip) == UInt64.max)
  }

  @Test("bit 7 of 0x07 resets the capture state but keeps the scratch register")
  func cpldReset() {
    let h = ArduChipHarness()
    h.writeRegister(0x00, 0x55)
    h.writeRegister(0x02, 0x01)
    h.stream(testFrame(32), tag: 0)
    h.writeRegister(0x04, 0x02)
    #expect(h.readRegister(0x41) == 0x08)
    h.writeRegister(0x07, 0x80)
    #expect(h.readRegister(0x41) == 0)
    #expect(h.fifoLength() == 0)
    #expect(h.readRegister(0x00) == 0x55)
    #expect(h.readRegister(0x02) == 0)
    // While held in reset, START does nothing.
    h.stream(testFrame(32), tag: 1)
    h.writeRegister(0x04, 0x02)
    #expect(h.counters.captures_started == 1)
    h.writeRegister(0x07, 0x00)
    h.writeRegister(0x04, 0x02)
    #expect(h.readRegister(0x41) == 0x08)
    #expect(h.counters.captures_started == 2)
  }

  @Test("the OV2640 answers on I2C 0x30 with chip id 0x26/0x42 in bank 1")
  func sensorIdentity() {
    let h = ArduChipHarness()
    #expect(h.i2cWrite(0xFF, 0x01))
    #expect(h.i2cRead(0x0A) == 0x26)
    #expect(h.i2cRead(0x0B) == 0x42)
    #expect(h.i2cRead(0x0A, address: 0x31) == nil)
    #expect(!h.i2cWrite(0x12, 0x80, address: 0x60))
    let before = h.chip.pointee.sensor_digest
    #expect(h.i2cWrite(0xFF, 0x00))
    #expect(h.i2cWrite(0xDA, 0x10))
    #expect(h.i2cRead(0xDA) == 0x10)
    #expect(h.chip.pointee.sensor_digest != before)
    #expect(h.counters.i2c_writes == 3)
  }

  @Test("in lockstep a capture with an empty queue stays pending until a frame is queued")
  func lockstepPending() throws {
    let h = ArduChipHarness()
    h.writeRegister(0x04, 0x02)
    for _ in 0..<5 { #expect(h.readRegister(0x41) & 0x08 == 0) }
    #expect(h.events.map(\.kind) == [ARDUCHIP_EVENT_CAPTURE_START])
    let frame = testFrame(300)
    h.stream(frame, tag: 77)
    #expect(h.readRegister(0x41) == 0x08)
    let done = try #require(h.events(ARDUCHIP_EVENT_CAPTURE_DONE).first)
    #expect(done.tag == 77)
    #expect(done.sequence == 1)
    #expect(h.chunkedBurst(total: h.fifoLength()) == frame)
    // Each queued frame answers exactly one START.
    h.writeRegister(0x04, 0x02)
    #expect(h.readRegister(0x41) & 0x08 == 0)
  }

  @Test("a FIFO clear cancels a capture still waiting for a frame")
  func clearCancelsPending() {
    let h = ArduChipHarness()
    h.writeRegister(0x04, 0x02)
    h.writeRegister(0x04, 0x01)
    h.stream(testFrame(16), tag: 3)
    #expect(h.readRegister(0x41) == 0)
    #expect(arduchip_queue_depth(h.chip) == 1)
    #expect(h.stockCapture() == testFrame(16))
  }

  @Test("loop mode repeats the queue in order without consuming it")
  func loopMode() throws {
    let h = ArduChipHarness()
    arduchip_set_mode(h.chip, ARDUCHIP_PLAY_LOOP)
    let a = testFrame(50, seed: 1)
    let b = testFrame(50, seed: 2)
    h.stream(a, tag: 0)
    h.stream(b, tag: 1)
    let reads = try (0..<5).map { _ in try #require(h.stockCapture()) }
    #expect(reads == [a, b, a, b, a])
    #expect(arduchip_queue_depth(h.chip) == 2)
    #expect(h.events(ARDUCHIP_EVENT_READ_DONE).map(\.tag) == [0, 1, 0, 1, 0])
  }

  @Test("hold mode serves the queue, then keeps answering with the last frame")
  func holdMode() throws {
    let h = ArduChipHarness()
    arduchip_set_mode(h.chip, ARDUCHIP_PLAY_HOLD)
    let a = testFrame(40, seed: 1)
    let b = testFrame(40, seed: 2)
    h.stream(a, tag: 10)
    #expect(try #require(h.stockCapture()) == a)
    #expect(try #require(h.stockCapture()) == a)
    h.stream(b, tag: 11)
    #expect(try #require(h.stockCapture()) == b)
    #expect(try #require(h.stockCapture()) == b)
    #expect(h.events(ARDUCHIP_EVENT_CAPTURE_DONE).map(\.tag) == [10, 10, 11, 11])
  }

  @Test("the extension registers expose the latched frame's sequence and CRC")
  func extensionRegisters() {
    let h = ArduChipHarness()
    let frame = testFrame(123)
    h.stream(frame, tag: 0)
    h.stream(frame, tag: 1)
    _ = h.stockCapture()
    _ = h.stockCapture()
    let bytes = (0x50...0x57).map { h.readRegister(UInt8($0)) }
    let sequence = bytes[0..<4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let crc = bytes[4..<8].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(sequence == 2)
    #expect(crc == CRC32.checksum(frame))
    #expect(h.counters.unknown_accesses == 0)
  }

  @Test("unknown registers are stored and counted")
  func unknownRegisters() {
    let h = ArduChipHarness()
    h.writeRegister(0x21, 0x99)
    #expect(h.readRegister(0x21) == 0x99)
    #expect(h.counters.unknown_accesses == 2)
    h.writeRegister(0x06, 0x02)
    #expect(h.readRegister(0x06) == 0x02)
    #expect(h.counters.unknown_accesses == 2)
    #expect(h.counters.register_writes == 2)
    #expect(h.counters.register_reads == 2)
    #expect(h.counters.cs_transactions == 4)
  }

  @Test("streamed frames free their RAM once served, and the store refuses what does not fit")
  func frameStore() {
    let h = ArduChipHarness(ramSize: 4096)
    #expect(h.stream(testFrame(1500), tag: 0) >= 0)
    #expect(h.stream(testFrame(1500), tag: 1) >= 0)
    #expect(h.stream(testFrame(1500), tag: 2) == ARDUCHIP_ERR_NO_RAM.rawValue)
    #expect(arduchip_ram_largest_free(h.chip) == 4096 - 3000)
    _ = h.stockCapture()
    // Frame 0 is latched until the next START, so its RAM is still taken.
    #expect(h.stream(testFrame(1500), tag: 2) == ARDUCHIP_ERR_NO_RAM.rawValue)
    _ = h.stockCapture()
    #expect(h.stream(testFrame(1500), tag: 2) >= 0)
    #expect(arduchip_queue_depth(h.chip) == 1)
  }

  @Test("a chunked load checks the CRC the host announced")
  func chunkedLoad() {
    let h = ArduChipHarness()
    let frame = testFrame(1000)
    #expect(arduchip_slot_load_begin(h.chip, 3, 1000, 55, 0) == ARDUCHIP_OK.rawValue)
    #expect(arduchip_slot_load_begin(h.chip, 3, 10, 0, 0) == ARDUCHIP_ERR_BUSY.rawValue)
    frame.withUnsafeBufferPointer { p in
      #expect(arduchip_slot_load_data(h.chip, 3, 500, p.baseAddress! + 500, 500) == 0)
      #expect(arduchip_slot_load_data(h.chip, 3, 0, p.baseAddress!, 500) == 0)
      #expect(
        arduchip_slot_load_data(h.chip, 3, 900, p.baseAddress!, 200)
          == ARDUCHIP_ERR_RANGE.rawValue)
    }
    #expect(
      arduchip_slot_load_end(h.chip, 3, 1, CRC32.checksum(frame) ^ 1)
        == ARDUCHIP_ERR_CRC.rawValue)
    #expect(arduchip_slot_find_free(h.chip) == 0)
    #expect(arduchip_slot_load_begin(h.chip, 3, 1000, 55, 0) == 0)
    frame.withUnsafeBufferPointer { p in
      _ = arduchip_slot_load_data(h.chip, 3, 0, p.baseAddress!, 1000)
    }
    #expect(arduchip_slot_load_end(h.chip, 3, 1, CRC32.checksum(frame)) == 0)
    #expect(arduchip_queue_push(h.chip, 3) == 0)
    #expect(arduchip_queue_push(h.chip, 3) == 0)
    #expect(h.stockCapture() == frame)
    #expect(h.stockCapture() == frame)
    // Not auto-freed: the slot stays loaded for more plays until the host frees it.
    #expect(h.chip.pointee.slots.3.state == UInt8(ARDUCHIP_SLOT_READY.rawValue))
  }
}
