// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import RigCore

@Suite("Linear scale")
struct LinearScaleTests {
  @Test("maps the domain's ends onto the pixels' ends, also upside down")
  func ends() {
    let x = LinearScale(domain: 0, 200, pixels: 58, 706)
    #expect(x.position(0) == 58)
    #expect(x.position(200) == 706)
    #expect(x.position(100) == 382)
    let y = LinearScale(domain: 0, 10, pixels: 164, 24)
    #expect(y.position(0) == 164)
    #expect(y.position(10) == 24)
    #expect(y.position(5) == 94)
  }

  @Test("keeps values outside the domain, NaN and infinities on the chart")
  func outside() {
    let y = LinearScale(domain: 0, 10, pixels: 164, 24)
    #expect(y.position(-5) == 164)
    #expect(y.position(50) == 24)
    #expect(y.position(.nan) == 164)
    #expect(y.position(.infinity) == 164)
    let flat = LinearScale(domain: 3, 3, pixels: 0, 100)
    #expect(flat.position(3) == 0)
  }

  @Test("builds from axis ticks")
  func fromTicks() {
    let ticks = AxisTicks(minimum: 3, maximum: 37, count: 4)
    let scale = LinearScale(ticks, pixels: 0, 400)
    #expect(scale.lower == ticks.lower && scale.upper == ticks.upper)
  }
}
