// SPDX-License-Identifier: Apache-2.0
import RigCore
import Testing

@Suite struct FrameConverterTests {
  @Test("gray8 to rgb565be puts the level in every channel, high byte first")
  func grayToRGB() throws {
    let out = try FrameConverter.convert([0, 255, 0x80, 0x47], from: .gray8, to: .rgb565be, width: 2, height: 2)
    #expect(out == [0x00, 0x00, 0xFF, 0xFF, 0x84, 0x10, 0x42, 0x28])
  }

  @Test("rgb565be back to gray8 with the TFLM formula gives the level again, to within 8")
  func roundTrip() throws {
    let gray = (0..<256).map { UInt8($0) }
    let rgb = try FrameConverter.convert(gray, from: .gray8, to: .rgb565be, width: 16, height: 16)
    let back = try FrameConverter.convert(rgb, from: .rgb565be, to: .gray8, width: 16, height: 16)
    #expect(zip(gray, back).allSatisfy { abs(Int($0) - Int($1)) <= 8 })
    #expect(back[255] >= 247 && back[0] == 0)
  }

  @Test("JPEG passes through, is never converted, and a frame of the wrong size is refused")
  func refusals() throws {
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xD9]
    #expect(try FrameConverter.convert(jpeg, from: .jpeg, to: .jpeg, width: 2, height: 2) == jpeg)
    #expect(!FrameConverter.canConvert(.gray8, to: .jpeg))
    #expect(throws: RigError.self) {
      try FrameConverter.convert([1, 2, 3, 4], from: .gray8, to: .jpeg, width: 2, height: 2)
    }
    #expect(throws: RigError.self) {
      try FrameConverter.convert([1, 2, 3], from: .gray8, to: .rgb565be, width: 2, height: 2)
    }
  }
}
