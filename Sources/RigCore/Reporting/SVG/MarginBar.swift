// SPDX-License-Identifier: Apache-2.0

/// How close a measured value is to its limit, as a small bar: the value as a filled bar from
/// the axis's start, the limit as a tall tick, and the side of the limit that breaks it hatched.
public struct MarginBar: Sendable {
  public var value: Double?
  public var limit: Limit
  /// Ratios (exact-match rate) are drawn on 0…1; other metrics on a range around value and limit.
  public var isRatio: Bool

  public var width = 160.0
  public var height = 18.0

  public init(value: Double?, limit: Limit) {
    self.value = value
    self.limit = limit
    self.isRatio = limit.metric.unit == "ratio"
  }

  /// The axis the bar is drawn on.
  var domain: (lower: Double, upper: Double) {
    if isRatio { return (0, 1) }
    let values = [limit.threshold, value ?? limit.threshold].filter(\.isFinite)
    let lower = min(0, values.min() ?? 0)
    var upper = (values.max() ?? 1) * 1.25
    if upper <= lower { upper = lower + 1 }
    return (lower, upper)
  }

  public func render(label: String) -> String {
    let f = SVGNumber.format
    let (lower, upper) = domain
    let scale = LinearScale(domain: lower, upper, pixels: 1, width - 1)
    let limitX = scale.position(limit.threshold)
    var body = "<path class=\"track\" d=\"M1 9H\(f(width - 1))\"/>"
    // The breaking side of the limit, hatched so it reads without colour.
    let (badStart, badEnd): (Double, Double) =
      switch limit.comparison {
      case .atMost, .lessThan: (limitX, width - 1)
      case .atLeast, .greaterThan: (1, limitX)
      case .equal: (limitX, limitX)
      }
    var hatch = ""
    var x = badStart
    while x + 4 <= badEnd {
      hatch += "M\(f(x)) 15l4-12"
      x += 5
    }
    if !hatch.isEmpty { body += "<path class=\"hatch\" d=\"\(hatch)\"/>" }
    if let value, value.isFinite {
      let x0 = scale.position(min(max(0, lower), value))
      let x1 = scale.position(value)
      body += "<path class=\"val\" d=\"M\(f(min(x0, x1))) 5H\(f(max(x1, min(x0, x1) + 1)))V13H\(f(min(x0, x1)))z\"/>"
    }
    body += "<path class=\"lim\" d=\"M\(f(limitX)) 1V17\"/>"
    return SVGDocument.wrap(width: width, height: height, label: label, cssClass: "margin", body: body)
  }
}
