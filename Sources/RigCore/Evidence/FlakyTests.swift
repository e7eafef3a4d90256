// SPDX-License-Identifier: Apache-2.0

/// Finds flaky tests in a test's history: a verdict that changed between runs that fed the same
/// firmware the same frames, or a pass that needed a retry. Either means the verdict says as
/// much about the bench as about the product.
public enum FlakyTests {
  public struct Finding: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
      /// Passed in one run, failed or errored in another, with the same firmware and clip.
      case verdictFlipped = "verdict_flipped"
      /// Passed only after an earlier attempt failed or errored.
      case passedOnRetry = "passed_on_retry"
    }
    public var kind: Kind
    public var identity: EvidenceIdentity
    /// The runs that show it: for a flip, the first run of each verdict seen; for a retry, the run.
    public var runs: [String]
    /// One line in plain words.
    public var reason: String
  }

  /// - Parameter history: one test's outcomes, oldest first.
  public static func find(in history: [TestOutcome]) -> [Finding] {
    var findings: [Finding] = []
    for outcome in history where outcome.passedOnRetry {
      findings.append(Finding(
        kind: .passedOnRetry, identity: outcome.identity, runs: [outcome.run],
        reason: "passed in run \(outcome.run) only after a failed or errored attempt"))
    }
    var order: [EvidenceIdentity] = []
    var byIdentity: [EvidenceIdentity: [TestOutcome]] = [:]
    for outcome in history where outcome.verdict != .skipped {
      if byIdentity[outcome.identity] == nil { order.append(outcome.identity) }
      byIdentity[outcome.identity, default: []].append(outcome)
    }
    for identity in order {
      let runs = byIdentity[identity] ?? []
      guard let pass = runs.first(where: { $0.verdict == .passed }),
        let other = runs.first(where: { $0.verdict != .passed })
      else { continue }
      let first = [pass, other].sorted { a, b in
        runs.firstIndex(of: a) ?? 0 < runs.firstIndex(of: b) ?? 0
      }
      let passes = runs.filter { $0.verdict == .passed }.count
      findings.append(Finding(
        kind: .verdictFlipped, identity: identity, runs: first.map(\.run),
        reason: "\(other.verdict.rawValue) in run \(other.run) but passed in run \(pass.run) with the same "
          + "firmware (\(identity.firmwareHash.prefix(12))) and clip: \(passes) of \(runs.count) runs passed"))
    }
    return findings
  }
}
