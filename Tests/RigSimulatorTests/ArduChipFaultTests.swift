// SPDX-License-Identifier: Apache-2.0
import RigCore
import RigEmulatorCore
import Testing

@Suite("ArduChip fault injection")
struct ArduChipFaultTests {
  @Test("corrupt_byte damages exactly one byte of the next frame, and the read CRC shows it")
  func corruptByte() throws {
    let h = ArduChipHarness()
    let frame = testFrame(2000)
    h.stream(frame, tag: 0)
    h.stream(frame, tag: 1)
    h.fault(ARDUCHIP_FAULT_CORRUPT_BYTE, ARDUCHIP_FAULT_ONCE, param: 1234)
    let damaged = try #require(h.stockCapture())
    let differing = zip(damaged, frame).enumerated().filter { $0.element.0 != $0.element.1 }
    #expect(differing.map(\.offset) == [1234])
    #expect(try #require(h.stockCapture()) == frame)
    let crcs = h.events(ARDUCHIP_EVENT_READ_DONE).map(\.crc32)
    #expect(crcs == [CRC32.checksum(damaged), CRC32.checksum(frame)])
    #expect(crcs[0] != crcs[1])
  }

  @Test("length faults make 0x42-0x44 read zero, oversize or a wrong value")
  func lengthFaults() {
    let h = ArduChipHarness()
    for tag in 0..<4 { h.stream(testFrame(900), tag: UInt32(tag)) }
    h.fault(ARDUCHIP_FAULT_LEN_ZERO, ARDUCHIP_FAULT_ONCE)
    _ = h.stockCapture()
    #expect(h.fifoLength() == 0)
    h.fault(ARDUCHIP_FAULT_LEN_OVERSIZE, ARDUCHIP_FAULT_ONCE)
    _ = h.stockCapture()
    #expect(h.fifoLength() == 0x5FFFF)
    h.fault(ARDUCHIP_FAULT_LEN_WRONG, ARDUCHIP_FAULT_ONCE, param: 777)
    _ = h.stockCapture()
    #expect(h.fifoLength() == 777)
    _ = h.stockCapture()
    #expect(h.fifoLength() == 900)
  }

  @Test("capdone_stuck keeps CAP_DONE low for that capture only when armed once")
  func capDoneStuck() {
    let h = ArduChipHarness()
    h.stream(testFrame(10), tag: 0)
    h.stream(testFrame(10), tag: 1)
    h.fault(ARDUCHIP_FAULT_CAPDONE_STUCK, ARDUCHIP_FAULT_ONCE)
    #expect(h.stockCapture(polls: 50) == nil)
    #expect(arduchip_next_wake_us(h.chip) == UInt64.max)
    #expect(h.stockCapture() == testFrame(10))
    #expect(h.events(ARDUCHIP_EVENT_CAPTURE_DONE).map(\.tag) == [1])
  }

  @Test("testreg_fail breaks the SPI check once, or always until switched off")
  func testRegisterFault() {
    let h = ArduChipHarness()
    h.writeRegister(0x00, 0x55)
    h.fault(ARDUCHIP_FAULT_TESTREG_FAIL, ARDUCHIP_FAULT_ONCE)
    #expect(h.readRegister(0x00) != 0x55)
    #expect(h.readRegister(0x00) == 0x55)
    h.fault(ARDUCHIP_FAULT_TESTREG_FAIL, ARDUCHIP_FAULT_ALWAYS)
    #expect(h.readRegister(0x00) != 0x55)
    #expect(h.readRegister(0x00) != 0x55)
    h.fault(ARDUCHIP_FAULT_TESTREG_FAIL, ARDUCHIP_FAULT_OFF)
    #expect(h.readRegister(0x00) == 0x55)
  }

  @Test("i2c_nack makes the sensor ignore its address")
  func i2cNack() {
    let h = ArduChipHarness()
    h.fault(ARDUCHIP_FAULT_I2C_NACK, ARDUCHIP_FAULT_ONCE)
    #expect(!h.i2cWrite(0xFF, 0x01))
    #expect(h.i2cWrite(0xFF, 0x01))
    #expect(h.i2cRead(0x0A) == 0x26)
  }

  @Test("truncate serves fill after the cut, so the read CRC no longer matches the frame")
  func truncate() throws {
    let h = ArduChipHarness { $0.fill = 0x00 }
    let frame = [UInt8](repeating: 0xAB, count: 100)
    h.stream(frame, tag: 0)
    h.fault(ARDUCHIP_FAULT_TRUNCATE, ARDUCHIP_FAULT_ONCE, param: 60)
    let read = try #require(h.stockCapture())
    #expect(read.count == 100)
    #expect(Array(read[0..<60]) == Array(frame[0..<60]))
    #expect(read[60...].allSatisfy { $0 == 0 })
    let done = try #require(h.events(ARDUCHIP_EVENT_READ_DONE).first)
    #expect(done.crc32 != CRC32.checksum(frame))
    #expect(done.crc32 == CRC32.checksum(read))
  }

  @Test("an always fault hits every frame until switched off")
  func alwaysFault() throws {
    let h = ArduChipHarness()
    let frame = testFrame(64)
    for tag in 0..<3 { h.stream(frame, tag: UInt32(tag)) }
    h.fault(ARDUCHIP_FAULT_CORRUPT_BYTE, ARDUCHIP_FAULT_ALWAYS, param: 5)
    #expect(try #require(h.stockCapture()) != frame)
    #expect(try #require(h.stockCapture()) != frame)
    h.fault(ARDUCHIP_FAULT_CORRUPT_BYTE, ARDUCHIP_FAULT_OFF)
    #expect(try #require(h.stockCapture()) == frame)
  }

  @Test("burst blocks and byte-by-byte single reads serve identical bytes, faults included")
  func blockMatchesBytewise() throws {
    func read(_ chunked: Bool) throws -> (bytes: [UInt8], crc: UInt32) {
      let h = ArduChipHarness { $0.fill = 0x5A }
      h.stream(testFrame(3000, seed: 9), tag: 0)
      h.fault(ARDUCHIP_FAULT_CORRUPT_BYTE, ARDUCHIP_FAULT_ONCE, param: 1001)
      h.fault(ARDUCHIP_FAULT_TRUNCATE, ARDUCHIP_FAULT_ONCE, param: 2500)
      h.writeRegister(0x04, 0x02)
      let bytes =
        chunked
        ? h.chunkedBurst(total: 3010, chunk: 97)
        : (0..<3010).map { _ in
          h.singleFifoRead()
        }
      let done = try #require(h.events(ARDUCHIP_EVENT_READ_DONE).first)
      return (bytes, done.crc32)
    }
    let block = try read(true)
    let bytewise = try read(false)
    #expect(block.bytes == bytewise.bytes)
    #expect(block.crc == bytewise.crc)
    #expect(block.crc == CRC32.checksum(block.bytes.prefix(3000)))
    #expect(block.bytes[1001] == ~testFrame(3000, seed: 9)[1001])
    #expect(block.bytes[2500...].allSatisfy { $0 == 0x5A })
  }

  @Test("the model's CRC-32 is the IEEE one")
  func crcCheckValue() {
    let text = Array("123456789".utf8)
    #expect(arduchip_crc32(0, text, text.count) == 0xCBF4_3926)
    let frame = testFrame(10_001)
    let chained = frame.withUnsafeBufferPointer { p in
      arduchip_crc32(arduchip_crc32(0, p.baseAddress, 5_003), p.baseAddress! + 5_003, 4_998)
    }
    #expect(chained == CRC32.checksum(frame))
  }
}
