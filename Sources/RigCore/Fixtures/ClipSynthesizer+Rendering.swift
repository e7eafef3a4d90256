// SPDX-License-Identifier: Apache-2.0

extension ClipSynthesizer {
  /// Width of the soft edge of shoulders and head, pixels: coverage falls from 1 to 0 across it.
  static let softEdge = 1.5
  /// Fraction of the shoulder contrast lost at the far sides of the shoulders (shading).
  static let shoulderShading = 0.2

  /// The fixed floor: tiles with slightly different levels and darker grout, a smooth blotchy
  /// variation and a fine grain. It never rises more than `floorTexture` above `floorLevel`.
  func makeFloor(_ random: inout SynthRandom) -> [Double] {
    let p = parameters
    let texture = p.floorTexture
    let tile = 24
    let tilesX = p.width / tile + 1
    let tilesY = p.height / tile + 1
    let tileLevels = (0..<(tilesX * tilesY)).map { _ in random.uniform(-0.4...0.4) * texture }
    let cell = 16
    let gridX = p.width / cell + 2
    let gridY = p.height / cell + 2
    let blotches = (0..<(gridX * gridY)).map { _ in random.uniform(-0.4...0.4) * texture }
    var floor = [Double](repeating: p.floorLevel, count: p.width * p.height)
    for y in 0..<p.height {
      let gy = y / cell
      let fy = Double(y % cell) / Double(cell)
      for x in 0..<p.width {
        let gx = x / cell
        let fx = Double(x % cell) / Double(cell)
        let top = blotches[gy * gridX + gx] * (1 - fx) + blotches[gy * gridX + gx + 1] * fx
        let bottom =
          blotches[(gy + 1) * gridX + gx] * (1 - fx) + blotches[(gy + 1) * gridX + gx + 1] * fx
        var level = p.floorLevel + top * (1 - fy) + bottom * fy
        level += tileLevels[(y / tile) * tilesX + x / tile]
        level += random.uniform(-0.2...0.2) * texture
        if x % tile == 0 || y % tile == 0 { level -= 0.8 * texture }
        floor[y * p.width + x] = level
      }
    }
    return floor
  }

  /// Global lighting at `frame`: every scene level is multiplied by `gain`, then `offset` added.
  func lighting(atFrame frame: Int) -> (gain: Double, offset: Double) {
    let p = parameters
    var gain = 1 + p.lightingDrift * SynthMath.sine(2 * .pi * Double(frame) / p.lightingDriftPeriod)
    var offset = 0.0
    if let step = p.lightingStep, frame >= step.frame {
      gain *= step.gain
      offset = step.offset
    }
    return (gain, offset)
  }

  /// One frame: floor, people, lighting, then sensor noise from the frame's own random stream
  /// (so any frame can be rendered alone), rounded and clamped to 0…255.
  func render(frame: Int, plan: Plan) -> PGM.Image {
    let p = parameters
    var scene = plan.floor
    let inFrame = plan.people.compactMap { person -> (SynthesizedPerson, Double, Double)? in
      guard let c = person.centre(atFrame: frame) else { return nil }
      return (person, c.x, c.y)
    }
    scene.withUnsafeMutableBufferPointer { buffer in
      for (person, x, y) in inFrame { drawShoulders(person, x: x, y: y, into: buffer) }
      for (person, x, y) in inFrame { drawHead(person, x: x, y: y, into: buffer) }
    }

    let light = lighting(atFrame: frame)
    var random = SynthRandom(seed: p.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(frame + 1))
    let noiseScale = p.noise * SynthRandom.byteSumScale
    var pixels = [UInt8](repeating: 0, count: p.width * p.height)
    pixels.withUnsafeMutableBufferPointer { out in
      scene.withUnsafeBufferPointer { level in
        for i in 0..<out.count {
          let noise = Double(SynthRandom.byteSum(random.next()) - 1020) * noiseScale
          let value = (level[i] * light.gain + light.offset + noise + 0.5).rounded(.down)
          out[i] = UInt8(min(255, max(0, value)))
        }
      }
    }
    return PGM.Image(width: p.width, height: p.height, pixels: pixels)
  }

  /// Blends `level` into `scene` at pixel (`x`, `y`) with `coverage` (0…1).
  private func blend(
    _ level: Double, coverage: Double, x: Int, y: Int,
    into scene: UnsafeMutableBufferPointer<Double>
  ) {
    let i = y * parameters.width + x
    scene[i] += (level - scene[i]) * coverage
  }

  /// Coverage of a pixel whose centre lies `distance` pixels outside an edge (negative inside).
  private func coverage(_ distance: Double) -> Double {
    min(1, max(0, 0.5 - distance / Self.softEdge))
  }

  /// The pixel rows and columns a shape of half-size `rx` × `ry` at (`x`, `y`) may touch.
  private func footprint(
    x: Double, y: Double, rx: Double, ry: Double
  ) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>)? {
    let reach = Self.softEdge
    let x0 = max(0, Int((x - rx - reach).rounded(.down)))
    let x1 = min(parameters.width - 1, Int((x + rx + reach).rounded(.up)))
    let y0 = max(0, Int((y - ry - reach).rounded(.down)))
    let y1 = min(parameters.height - 1, Int((y + ry + reach).rounded(.up)))
    guard x0 <= x1, y0 <= y1 else { return nil }
    return (x0...x1, y0...y1)
  }

  /// The shoulder ellipse, wider across the walking direction, darker towards its sides.
  private func drawShoulders(
    _ person: SynthesizedPerson, x: Double, y: Double,
    into scene: UnsafeMutableBufferPointer<Double>
  ) {
    let a = person.shoulderHalfWidth
    let b = person.shoulderHalfDepth
    guard let area = footprint(x: x, y: y, rx: a, ry: b) else { return }
    let p = parameters
    let contrast = p.shoulderLevel - p.floorLevel
    for row in area.rows {
      let v = (Double(row) + 0.5 - y) / b
      for column in area.columns {
        let u = (Double(column) + 0.5 - x) / a
        let d = (u * u + v * v).squareRoot()
        // Distance to the ellipse, to first order: (d − 1) / |∇d|.
        let gradient = (u * u / (a * a) + v * v / (b * b)).squareRoot()
        let distance = d < 0.5 ? -b : (d - 1) * d / gradient
        let cover = coverage(distance)
        guard cover > 0 else { continue }
        let level = p.shoulderLevel - contrast * Self.shoulderShading * min(1, u * u)
        blend(level, coverage: cover, x: column, y: row, into: scene)
      }
    }
  }

  /// The head disc, brightest, centred on the shoulders.
  private func drawHead(
    _ person: SynthesizedPerson, x: Double, y: Double,
    into scene: UnsafeMutableBufferPointer<Double>
  ) {
    let r = person.headRadius
    guard let area = footprint(x: x, y: y, rx: r, ry: r) else { return }
    for row in area.rows {
      let dy = Double(row) + 0.5 - y
      for column in area.columns {
        let dx = Double(column) + 0.5 - x
        let cover = coverage((dx * dx + dy * dy).squareRoot() - r)
        guard cover > 0 else { continue }
        blend(parameters.headLevel, coverage: cover, x: column, y: row, into: scene)
      }
    }
  }
}
