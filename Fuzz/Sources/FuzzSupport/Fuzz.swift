// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What every fuzz target shares: the input as bytes, pieces of it, invariant checks, and the
/// seeds each target writes for its corpus.
public enum Fuzz {
  /// The bytes libFuzzer hands `LLVMFuzzerTestOneInput` (a null pointer when there are none).
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }

  /// Stops the run when an invariant does not hold; libFuzzer keeps the input as a crash.
  public static func require(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID,
    line: UInt = #line
  ) {
    if !condition { fatalError("invariant failed: \(message())", file: file, line: line) }
  }

  /// A number drawn from the input itself (FNV-1a), so a target that splits or damages its
  /// input does so the same way each time the input is replayed.
  public static func hash(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return h
  }

  /// `bytes` cut into up to 8 pieces at points the input picks: a decoder fed the pieces one by
  /// one must find what it finds in the whole.
  public static func pieces(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    guard bytes.count > 1 else { return [bytes[...]] }
    var state = hash(bytes)
    var cuts: [Int] = []
    for _ in 0..<Int(state % 8) {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      cuts.append(Int((state >> 33) % UInt64(bytes.count)))
    }
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    for cut in Set(cuts).sorted() where cut > start {
      pieces.append(bytes[start..<cut])
      start = cut
    }
    pieces.append(bytes[start...])
    return pieces
  }

  /// Writes `seeds` into the folder `RIG_FUZZ_SEEDS` names and exits, when it is set
  /// (`Scripts/fuzz --seeds`); otherwise does nothing. Call from `LLVMFuzzerInitialize`.
  public static func writeSeedsIfAsked(_ seeds: () -> [[UInt8]]) {
    guard let folder = ProcessInfo.processInfo.environment["RIG_FUZZ_SEEDS"] else { return }
    let url = URL(fileURLWithPath: folder)
    do {
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      for (index, seed) in seeds().enumerated() {
        try Data(seed).write(to: url.appendingPathComponent(String(format: "seed-%02d", index)))
      }
    } catch {
      fatalError("cannot write seeds to \(folder): \(error)")
    }
    exit(0)
  }
}
