// SPDX-License-Identifier: Apache-2.0
import Foundation
import RigCore

/// The counting firmware's pixel work: reading the FIFO, decoding, detecting and tracking people,
/// and the seeded chances and line noise of a frame.
extension CountingFirmware {
  /// Burst-reads `length` FIFO bytes in 256-byte CS windows into `fifo`. False on power off.
  func readFIFO(_ length: Int) -> Bool {
    if fifo.count < length { fifo = [UInt8](repeating: 0, count: length) }
    var offset = 0
    return fifo.withUnsafeMutableBufferPointer { buffer in
      while offset < length {
        let chunk = min(Self.chunkBytes, length - offset)
        let read: Void? = board.ifPowered(epoch) {
          board.emulator.burstRead(into: buffer.baseAddress! + offset, count: chunk)
        }
        guard read != nil else { return false }
        offset += chunk
      }
      return true
    }
  }

  /// The frame as grey pixels, or nil when the firmware cannot decode it (JPEG: this firmware
  /// has no decoder linked in).
  func decode(_ setup: CameraSetup) -> [UInt8]? {
    switch setup.format {
    case .gray8:
      return fifo
    case .rgb565be:
      let n = setup.width * setup.height
      if gray.count < n { gray = [UInt8](repeating: 0, count: n) }
      fifo.withUnsafeBufferPointer { source in
        gray.withUnsafeMutableBufferPointer { target in
          for i in 0..<n {
            let high = source[2 * i]
            let low = source[2 * i + 1]
            // TFLM's Arduino example: R5<<3, G6<<2, B5<<3, then BT.709 luma weights.
            let r = Double(high & 0xF8)
            let g = Double(UInt16(high & 0x07) << 5 | UInt16(low & 0xE0) >> 3)
            let b = Double(UInt16(low & 0x1F) << 3)
            target[i] = UInt8(min(255, 0.2126 * r + 0.7152 * g + 0.0722 * b))
          }
        }
      }
      return gray
    case .jpeg:
      return nil
    }
  }

  /// Detection, seeded misses, and tracking; leaves the people seen in `people`.
  func count(_ pixels: [UInt8], _ setup: CameraSetup) -> PeopleCounter.Result {
    let result = pixels.withUnsafeBufferPointer {
      counter.detect($0, width: setup.width, height: setup.height)
    }
    people.removeAll(keepingCapacity: true)
    let missRate = settings.counting.missRate
    if missRate > 0 {
      var random = SeededRandom(
        seed: settings.seed, test: test.nameHash, frame: UInt64(test.sequence),
        purpose: RandomPurpose.miss)
      for blob in result.blobs where random.unit() >= missRate { people.append(blob) }
    } else {
      people.append(contentsOf: result.blobs)
    }
    if test.tracker == nil {
      test.tracker = CentroidTracker(
        radius: settings.counting.trackingRadius,
        lineY: settings.counting.lineFraction * Double(setup.height))
    }
    test.tracker?.update(people)
    return result
  }

  func chance(_ probability: Double, _ purpose: UInt64) -> Bool {
    guard probability > 0 else { return false }
    var random = SeededRandom(
      seed: settings.seed, test: test.nameHash, frame: UInt64(test.sequence), purpose: purpose)
    return random.unit() < probability
  }

  /// Line noise: seeded random bytes, ended by CR LF so the next record starts a fresh line.
  func garbage() -> [UInt8] {
    var random = SeededRandom(
      seed: settings.seed, test: test.nameHash, frame: UInt64(test.sequence),
      purpose: RandomPurpose.garbage)
    let count = 8 + Int(random.next() % 40)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) } + [0x0D, 0x0A]
  }
}
