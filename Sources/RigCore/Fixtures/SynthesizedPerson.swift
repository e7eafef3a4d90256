// SPDX-License-Identifier: Apache-2.0

/// One walker of a generated clip: where its centre is at every frame of its walk.
///
/// The centre (x right, y down, in pixels from the top-left corner of the frame) is the centre
/// of the shoulder ellipse and of the head; it is what the labels count and what crosses the
/// counting line.
public struct SynthesizedPerson: Sendable, Equatable {
  /// Stable within a clip, in order of arrival.
  public var id: Int
  /// The other person of a touching pair, if this one walks in one.
  public var partner: Int?
  /// Frame at which the walk starts (negative for people already walking when the clip starts).
  public var firstFrame: Int
  /// Frames walked, from `firstFrame`.
  public var duration: Int
  /// +1 walking down (increasing rows), −1 walking up.
  public var direction: Int
  /// Size relative to the nominal person.
  public var scale: Double
  /// Shoulder half-width (across the walking direction), pixels.
  public var shoulderHalfWidth: Double { 9 * scale }
  /// Shoulder half-depth (along the walking direction), pixels.
  public var shoulderHalfDepth: Double { 5 * scale }
  /// Head radius, pixels.
  public var headRadius: Double { 4.2 * scale }

  var startX: Double
  var startY: Double
  var speed: Double
  var surge: Double
  var surgePeriod: Double
  var surgePhase: Double
  var sway: Double
  var swayPeriod: Double
  var swayPhase: Double

  /// The centre at `frame`, or nil when the person is not walking then.
  public func centre(atFrame frame: Int) -> (x: Double, y: Double)? {
    let t = frame - firstFrame
    guard t >= 0 && t < duration else { return nil }
    return position(afterFrames: Double(t))
  }

  /// The centre `t` frames into the walk. Speed varies by `surge` but never reverses.
  func position(afterFrames t: Double) -> (x: Double, y: Double) {
    let surgeNow = SynthMath.sine(2 * .pi * t / surgePeriod + surgePhase)
    let swayNow = SynthMath.sine(2 * .pi * t / swayPeriod + swayPhase)
    let along = speed * t + surge * (surgeNow - SynthMath.sine(surgePhase))
    let across = sway * (swayNow - SynthMath.sine(swayPhase))
    return (startX + across, startY + Double(direction) * along)
  }

  /// Whether the centre lies inside a `width` × `height` frame at `frame`.
  public func isInView(atFrame frame: Int, width: Int, height: Int) -> Bool {
    guard let c = centre(atFrame: frame) else { return false }
    return c.x >= 0 && c.x < Double(width) && c.y >= 0 && c.y < Double(height)
  }
}
