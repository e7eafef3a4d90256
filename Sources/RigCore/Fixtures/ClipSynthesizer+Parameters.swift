// SPDX-License-Identifier: Apache-2.0

extension ClipSynthesizer {
  /// A preset: what kind of scene the clip shows.
  public enum Scenario: String, Sendable, Equatable, CaseIterable {
    /// Nobody: floor texture, sensor noise and a slow lighting drift. Every label is zero.
    case emptyRoom = "empty-room"
    /// One or two people at a time walking through.
    case corridorLight = "corridor-light"
    /// Up to six people at once, including pairs walking side by side, shoulders touching.
    case corridorBusy = "corridor-busy"
    /// A few people, a sudden global brightness step (lights switched on) and a gradual drift.
    case lightingChange = "lighting-change"
  }

  /// A sudden change of the global lighting from one frame on.
  public struct LightingStep: Sendable, Equatable {
    /// First frame (0-based) shown under the new lighting.
    public var frame: Int
    /// Multiplies every pixel from `frame` on.
    public var gain: Double
    /// Grey levels added to every pixel from `frame` on, after the gain.
    public var offset: Double

    /// A step to `gain` and `offset` from `frame` on.
    public init(frame: Int, gain: Double, offset: Double) {
      self.frame = frame
      self.gain = gain
      self.offset = offset
    }
  }

  /// Everything that decides a generated clip. Same parameters, same bytes.
  ///
  /// `init(scenario:seed:frames:)` fills in the scenario's preset; change any field afterwards.
  /// Grey levels are before lighting: a pixel is `scene × gain + offset + noise`, rounded and
  /// clamped to 0…255.
  public struct Parameters: Sendable, Equatable {
    public var scenario: Scenario
    /// The clip name written to `clip.yaml`; the scenario name unless set.
    public var name: String
    public var seed: UInt64
    public var frames: Int
    public var width: Int
    public var height: Int
    public var fps: Double
    /// Most people in view at once (a touching pair counts as two). 0 means an empty scene.
    public var maxPeople: Int
    /// Probability, per frame, that someone (or a pair) starts walking in.
    public var spawnRate: Double
    /// Fraction of arrivals that are two people walking side by side, shoulders touching.
    public var pairRate: Double
    /// Walking speed along the corridor, pixels per frame.
    public var speed: ClosedRange<Double>
    /// Body size relative to the nominal person (shoulders 18 × 10 px, head 8.4 px across).
    public var personScale: ClosedRange<Double>
    /// Largest sideways sway of a walker, pixels.
    public var drift: Double
    /// Standard deviation of the per-pixel sensor noise, grey levels.
    public var noise: Double
    /// Mean floor level.
    public var floorLevel: Double
    /// Peak deviation of the fixed floor texture (tiles, grout, grain) from `floorLevel`.
    public var floorTexture: Double
    /// Shoulder level along the spine; the contrast over the floor falls by a fifth at the sides.
    public var shoulderLevel: Double
    /// Head level.
    public var headLevel: Double
    /// Relative amplitude of the slow sinusoidal lighting drift (0.1 = ±10 % gain).
    public var lightingDrift: Double
    /// Period of the lighting drift, frames.
    public var lightingDriftPeriod: Double
    /// An optional sudden lighting change.
    public var lightingStep: LightingStep?

    /// The scenario's preset for a clip of `frames` frames, 96 × 96 at 15 fps.
    public init(scenario: Scenario, seed: UInt64, frames: Int) {
      self.scenario = scenario
      self.name = scenario.rawValue
      self.seed = seed
      self.frames = frames
      width = 96
      height = 96
      fps = 15
      maxPeople = 0
      spawnRate = 0
      pairRate = 0
      speed = 1.3...2.4
      personScale = 0.9...1.1
      drift = 4
      noise = 3
      floorLevel = 56
      floorTexture = 6
      shoulderLevel = 130
      headLevel = 185
      lightingDrift = 0.03
      lightingDriftPeriod = 90
      lightingStep = nil
      switch scenario {
      case .emptyRoom:
        noise = 2.5
        lightingDrift = 0.08
        lightingDriftPeriod = Double(max(frames, 1)) * 2
      case .corridorLight:
        maxPeople = 2
        spawnRate = 0.045
      case .corridorBusy:
        maxPeople = 6
        spawnRate = 0.2
        pairRate = 0.35
      case .lightingChange:
        maxPeople = 3
        spawnRate = 0.06
        lightingDrift = 0.1
        lightingDriftPeriod = Double(max(frames, 1)) * 1.5
        lightingStep = LightingStep(frame: frames * 2 / 5, gain: 1.3, offset: 12)
      }
    }

    /// The counting line every generated clip uses: horizontal at mid-height, down is in.
    public var countingLine: CountingLine {
      CountingLine(orientation: .horizontal, position: height / 2, inDirection: .increasing)
    }

    /// Every parameter that makes no sense, as messages naming the parameter and its range.
    public func problems() -> [String] {
      var out: [String] = []
      if frames < 1 { out.append("frames must be at least 1, got \(frames)") }
      if width < 48 || width > 4096 { out.append("width must be 48…4096, got \(width)") }
      if height < 48 || height > 4096 { out.append("height must be 48…4096, got \(height)") }
      if !(fps > 0) { out.append("fps must be positive, got \(fps)") }
      if maxPeople < 0 || maxPeople > 12 {
        out.append("max people must be 0…12, got \(maxPeople)")
      }
      if !(0...1).contains(spawnRate) { out.append("spawn rate must be 0…1, got \(spawnRate)") }
      if !(0...1).contains(pairRate) { out.append("pair rate must be 0…1, got \(pairRate)") }
      if !(speed.lowerBound > 0.2) || speed.upperBound > 20 {
        out.append("speed must lie within 0.2…20 px/frame, got \(speed)")
      }
      if !(personScale.lowerBound >= 0.5) || personScale.upperBound > 2 {
        out.append("person scale must lie within 0.5…2, got \(personScale)")
      }
      if !(drift >= 0) || drift > 10 { out.append("drift must be 0…10 px, got \(drift)") }
      if !(noise >= 0) || noise > 40 {
        out.append("noise must be 0…40 grey levels, got \(noise)")
      }
      for (label, level) in [
        ("floor level", floorLevel), ("shoulder level", shoulderLevel), ("head level", headLevel),
      ] where !(0...255).contains(level) {
        out.append("\(label) must be 0…255, got \(level)")
      }
      if !(0..<1).contains(lightingDrift) {
        out.append("lighting drift must be 0…1 (exclusive), got \(lightingDrift)")
      }
      if !(lightingDriftPeriod > 0) {
        out.append("lighting drift period must be positive, got \(lightingDriftPeriod)")
      }
      if let step = lightingStep, !(step.gain > 0) {
        out.append("lighting step gain must be positive, got \(step.gain)")
      }
      return out
    }
  }
}
