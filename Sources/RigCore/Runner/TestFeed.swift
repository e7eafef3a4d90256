// SPDX-License-Identifier: Apache-2.0

/// Hands a runner its tests one at a time, when several rigs share one suite's tests (a pool:
/// each rig's runner takes the next test it can run from a queue they share).
///
/// A runner with a feed lists no tests in its `run_started` (it cannot know them in advance) and
/// asks for the next test each time it is free, until the feed says there is none.
public protocol TestFeed: Sendable {
  /// The next test for this runner's rig; nil when none is left for it, or the rig is to stop.
  func next() async -> TestCase?
  /// The rig cannot run any test: its bench could not be put in a safe state, or the suite's
  /// firmware could not be put on its board. It takes no more tests; others take what is left.
  func rigFailed(_ reason: String) async
}
