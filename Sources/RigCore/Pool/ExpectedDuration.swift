// SPDX-License-Identifier: Apache-2.0

/// How long a test is expected to take, for ordering a pool's work and balancing shards: its
/// frames at the clip's own frame rate, the pace of a real board.
///
/// The figure depends on the suite alone, never on the rig or the host: every host of a sharded
/// run must compute the same plan, and a rig's `pace` (the simulated bench's speed-up) scales
/// every test alike, which changes no order and no partition.
public enum ExpectedDuration {
  /// Seconds `test` is expected to play for.
  public static func seconds(_ test: TestCase) -> Double {
    let fps = test.clip.manifest.fps > 0 ? test.clip.manifest.fps : 30
    return Double(test.clip.frameCount) / fps
  }
}
