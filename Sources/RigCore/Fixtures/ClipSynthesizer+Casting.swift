// SPDX-License-Identifier: Apache-2.0

extension ClipSynthesizer {
  /// Smallest gap, in pixels, between the shoulder boxes of two people who are not a pair.
  ///
  /// Soft edges reach about 0.75 px beyond the ellipse; 4 px keeps at least two clear floor
  /// pixels between any two blobs, so 4-connected labelling never merges separate walkers.
  static let separation = 4.0
  /// How far the shoulders of a touching pair overlap, pixels: enough that their bright pixels
  /// form one 4-connected region in every frame.
  static let pairOverlap = 3.0
  /// Attempts to place an arrival before giving up on it for this frame.
  static let placementAttempts = 6

  /// Decides who walks through, when, where and how fast, honouring `maxPeople` at every frame
  /// and the separation between people who are not a pair.
  func castPeople(_ random: inout SynthRandom) -> [SynthesizedPerson] {
    let p = parameters
    guard p.maxPeople > 0, p.spawnRate > 0 else { return [] }
    var people: [SynthesizedPerson] = []

    // Start with one walker crossing the line early, so every clip with people has a crossing
    // and does not open on an empty corridor.
    if var first = makeGroup(pair: false, firstFrame: 0, nextID: 0, random: &random).first {
      let crossingFrame = random.integer(2...max(2, min(p.frames - 1, 15)))
      first.firstFrame = crossingFrame - framesToLine(first)
      people.append(first)
    }

    // People already walking when the clip starts arrive during the pre-roll.
    let preroll = Int((Double(p.height) + 30) / p.speed.lowerBound) + 1
    for frame in -preroll..<p.frames where random.chance(p.spawnRate) {
      let pair = p.maxPeople >= 2 && random.chance(p.pairRate)
      for _ in 0..<Self.placementAttempts {
        let group = makeGroup(pair: pair, firstFrame: frame, nextID: people.count, random: &random)
        if fits(group, among: people) {
          people.append(contentsOf: group)
          break
        }
      }
    }
    return people
  }

  /// One walker, or two side by side with touching shoulders, starting just outside the frame.
  func makeGroup(
    pair: Bool, firstFrame: Int, nextID: Int, random: inout SynthRandom
  ) -> [SynthesizedPerson] {
    let p = parameters
    let direction = random.chance(0.5) ? 1 : -1
    let speed = random.uniform(p.speed)
    let surgePeriod = random.uniform(18...36)
    // Speed varies by ±25 %, so the walk slows and hurries but never turns back.
    let surge = 0.25 * speed * surgePeriod / (2 * Double.pi)
    let surgePhase = random.uniform(0...(2 * Double.pi))
    let sway = random.uniform(0...p.drift)
    let swayPeriod = random.uniform(40...90)
    let swayPhase = random.uniform(0...(2 * Double.pi))
    let scales = (0..<(pair ? 2 : 1)).map { _ in random.uniform(p.personScale) }
    let halfWidths = scales.map { 9 * $0 }
    // The sway moves a centre by up to twice its amplitude from where it started.
    let margin = 2 + 2 * sway
    let spread = pair ? halfWidths[0] + halfWidths[1] - Self.pairOverlap : 0
    let lowX = halfWidths[0] + margin
    let highX = Double(p.width) - (halfWidths.last ?? 0) - margin - spread
    // Keep to one side, as people do in corridors: walkers going down favour the left of the
    // frame and walkers going up the right, so both directions flow past each other.
    let span = max(0, highX - lowX)
    let lane =
      direction > 0 ? lowX...(lowX + 0.65 * span) : (highX - 0.65 * span)...max(lowX, highX)
    let x = random.uniform(lane)
    let pairOffsetY = pair ? random.uniform(-1.5...1.5) : 0

    return scales.indices.map { i in
      let halfDepth = 5 * scales[i]
      let startY =
        direction > 0 ? -(halfDepth + 2) : Double(p.height) + halfDepth + 2
      var person = SynthesizedPerson(
        id: nextID + i, partner: pair ? nextID + 1 - i : nil, firstFrame: firstFrame,
        duration: 0, direction: direction, scale: scales[i],
        startX: x + (i == 0 ? 0 : spread), startY: startY + (i == 0 ? 0 : pairOffsetY),
        speed: speed, surge: surge, surgePeriod: surgePeriod, surgePhase: surgePhase,
        sway: sway, swayPeriod: swayPeriod, swayPhase: swayPhase)
      person.duration = walkDuration(person)
      return person
    }
  }

  /// Frames until the centre has left the frame on the far side, body and soft edge included.
  func walkDuration(_ person: SynthesizedPerson) -> Int {
    let exit = person.shoulderHalfDepth + 2
    var t = 1
    while t < 100_000 {
      let y = person.position(afterFrames: Double(t)).y
      if person.direction > 0 ? y > Double(parameters.height) + exit : y < -exit { break }
      t += 1
    }
    return t + 1
  }

  /// Frames from the start of a walk to the first frame on the far side of the counting line.
  func framesToLine(_ person: SynthesizedPerson) -> Int {
    let line = Double(parameters.countingLine.position)
    for t in 0..<person.duration {
      let y = person.position(afterFrames: Double(t)).y
      if person.direction > 0 ? y >= line : y < line { return t }
    }
    return person.duration / 2
  }

  /// Whether `group` can join `people`: never more than `maxPeople` walking at once, and never
  /// closer than `separation` to anyone outside the group.
  func fits(_ group: [SynthesizedPerson], among people: [SynthesizedPerson]) -> Bool {
    guard let first = group.first else { return true }
    let start = group.map(\.firstFrame).min() ?? first.firstFrame
    let end = group.map { $0.firstFrame + $0.duration }.max() ?? start
    for frame in start..<end {
      var walking = group.count
      for other in people {
        guard let o = other.centre(atFrame: frame) else { continue }
        walking += 1
        guard walking <= parameters.maxPeople else { return false }
        for person in group {
          guard let c = person.centre(atFrame: frame) else { continue }
          let clearX =
            abs(c.x - o.x) >= person.shoulderHalfWidth + other.shoulderHalfWidth
            + Self.separation
          let clearY =
            abs(c.y - o.y) >= person.shoulderHalfDepth + other.shoulderHalfDepth
            + Self.separation
          if !clearX && !clearY { return false }
        }
      }
      if walking > parameters.maxPeople { return false }
    }
    return true
  }
}
