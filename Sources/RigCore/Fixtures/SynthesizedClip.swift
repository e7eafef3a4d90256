// SPDX-License-Identifier: Apache-2.0

/// A generated clip held in memory: its manifest, frames, exact labels and the people in it.
public struct SynthesizedClip: Sendable {
  /// What `clip.yaml` says.
  public var manifest: ClipManifest
  /// One gray8 image per frame, in order.
  public var frames: [PGM.Image]
  /// One label per frame; `labels[i].frame == i`, with cumulative in/out.
  public var labels: [FrameLabel]
  /// Everyone who walks through, including people who leave before frame 0 or arrive after the
  /// last frame.
  public var people: [SynthesizedPerson]

  /// A clip from its parts; `ClipSynthesizer.synthesize()` makes these.
  public init(
    manifest: ClipManifest, frames: [PGM.Image], labels: [FrameLabel],
    people: [SynthesizedPerson]
  ) {
    self.manifest = manifest
    self.frames = frames
    self.labels = labels
    self.people = people
  }
}
