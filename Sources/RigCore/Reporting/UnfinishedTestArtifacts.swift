// SPDX-License-Identifier: Apache-2.0
import Foundation

/// What a test that was cut off (rig killed mid-test) still left in its artifact folder.
///
/// Its `test_finished` event never came, so the events alone give it no attachments and a
/// duration that ends at its last event. But its console log and frame CSV reached the disk as
/// they were written: `rig report` attaches them, and times the test to their last write.
public enum UnfinishedTestArtifacts {
  /// The artifacts a test writes, in the order reports list them.
  public static let names = ["frames.csv", "console.log"]

  /// `run` with every test that started but never finished given the artifacts it left.
  public static func attach(to run: RunResult, from sink: any ArtifactSink) -> RunResult {
    var run = run
    for index in run.tests.indices {
      let test = run.tests[index]
      guard let startedAt = test.startedAt, test.attachments.isEmpty, test.errorType == "Interrupted"
      else { continue }
      let folder = ArtifactFolder(sink: sink, path: RunPlan.artifactPath(test: test.name))
      let left = folder.existing(names)
      guard !left.isEmpty else { continue }
      run.tests[index].attachments = left
      let lastWrite = left.compactMap { sink.status(of: $0)?.modified }.max() ?? startedAt
      run.tests[index].duration = max(test.duration, lastWrite.timeIntervalSince(startedAt))
    }
    return run
  }
}
