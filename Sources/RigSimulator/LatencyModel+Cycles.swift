// SPDX-License-Identifier: Apache-2.0
import RigCore

extension LatencyModel {
  /// The DWT cycles one frame takes per stage.
  ///
  /// - Parameters:
  ///   - bytesRead: FIFO bytes clocked over SPI (capture = bytes × 8 ÷ `spiHz`).
  ///   - people: blobs the detector found.
  ///   - activePixels: person pixels above the threshold.
  ///   - stages: how far the frame got: 1 = capture only (bad length), 2 = also preprocessing
  ///     (decode failed), 4 = every stage.
  ///   - jitter: a standard normal sample, scaled by `jitterMs` onto the invoke stage.
  ///   - extraMs: the bench's other noise on the invoke stage (offsets, a spike).
  ///   - slowdown: multiplies every stage (the `slowdown` fault, a regression's latency scale).
  func cycles(
    bytesRead: Int, people: Int, activePixels: Int, stages: Int, jitter: Double, extraMs: Double = 0,
    slowdown: Double
  ) -> StageCycles {
    let hz = Double(cpuHz)
    func cycles(_ seconds: Double) -> UInt32 {
      let value = (seconds * slowdown * hz).rounded()
      guard value > 0 else { return 0 }
      return value >= Double(UInt32.max) ? UInt32.max : UInt32(value)
    }
    let capture = spiHz > 0 ? Double(bytesRead) * 8 / Double(spiHz) : 0
    let preprocess = stages >= 2 ? preprocessMs / 1000 : 0
    var invoke = 0.0
    var postprocess = 0.0
    if stages >= 4 {
      let ms =
        invokeMs + perPersonMs * Double(people) + perActivePixelMs * Double(activePixels) / 1000
        + jitterMs * jitter + extraMs
      invoke = max(0, ms) / 1000
      postprocess = postprocessMs / 1000
    }
    return StageCycles(
      capture: cycles(capture), preprocess: cycles(preprocess), invoke: cycles(invoke),
      postprocess: cycles(postprocess))
  }
}
