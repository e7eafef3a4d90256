// SPDX-License-Identifier: Apache-2.0

/// The thresholds of a comparison with a baseline. The defaults are documented in
/// docs/history.md; each is a choice between missing a change and raising a false alarm.
public struct ComparisonSettings: Sendable, Equatable {
  /// A change counts only when a test's p-value is at most this.
  public var significance: Double
  /// Smallest latency change that counts, as a fraction of the baseline (0.05 = 5 %): a
  /// significant 0.1 % change is a fact about the bench, not a regression.
  public var latencyFloor: Double
  /// Largest peak-RAM increase (or decrease) that is not a change, KiB.
  public var ramToleranceKiB: Double
  /// Smallest change in the rate of dropped or damaged frames that counts (0.0001 = 1 in 10,000).
  public var rateFloor: Double
  /// Fewest frames measured in both runs for a latency judgement.
  public var minimumPairs: Int
  /// Resamples and two-sided confidence of the p95 bootstrap.
  public var bootstrapResamples: Int
  public var bootstrapConfidence: Double
  /// Most frames named in a reason; the rest are counted.
  public var framesListed: Int

  public init(
    significance: Double = 0.01, latencyFloor: Double = 0.05, ramToleranceKiB: Double = 0.25,
    rateFloor: Double = 0.0001, minimumPairs: Int = 10, bootstrapResamples: Int = 400,
    bootstrapConfidence: Double = 0.99, framesListed: Int = 8
  ) {
    self.significance = significance
    self.latencyFloor = latencyFloor
    self.ramToleranceKiB = ramToleranceKiB
    self.rateFloor = rateFloor
    self.minimumPairs = minimumPairs
    self.bootstrapResamples = bootstrapResamples
    self.bootstrapConfidence = bootstrapConfidence
    self.framesListed = framesListed
  }
}
