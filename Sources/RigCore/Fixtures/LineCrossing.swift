// SPDX-License-Identifier: Apache-2.0

/// A reference point passing a `CountingLine` between two observations, and which way it went.
///
/// The rule shared by the generator, the MOT importer and the documentation: with a horizontal
/// line at row `p` counting `increasing` as in, a point moving from y < p to y ≥ p goes **in**
/// and one moving from y ≥ p to y < p goes **out**. Vertical lines use x the same way;
/// `decreasing` swaps in and out.
public enum LineCrossing: String, Sendable, Equatable {
  case `in`
  case out

  /// The crossing made by moving from `a` to `b`, or nil if the point stayed on one side.
  public static func between(
    _ a: (x: Double, y: Double), _ b: (x: Double, y: Double), line: CountingLine
  ) -> LineCrossing? {
    let p = Double(line.position)
    let (from, to) = line.orientation == .horizontal ? (a.y, b.y) : (a.x, b.x)
    let increasing: Bool
    if from < p && to >= p {
      increasing = true
    } else if from >= p && to < p {
      increasing = false
    } else {
      return nil
    }
    return increasing == (line.inDirection == .increasing) ? .in : .out
  }
}
