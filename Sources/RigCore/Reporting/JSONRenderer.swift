// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Renders `results.json`: the whole run as data for scripts and dashboards (schema in
/// docs/reports.md), with a `summary` of counts and the exit status.
///
/// Keys are sorted and the output is pretty-printed, so two renderings of the same run are
/// byte-identical and diff well.
public enum JSONRenderer {
  /// The value of the top-level `format` field; bumped when a field changes meaning or goes away.
  public static let format = "rig.results/1"

  /// Counts per verdict and the exit status `rig run` returns for this run.
  public struct Summary: Sendable, Codable, Equatable {
    /// Every test of the run.
    public var tests: Int
    /// Tests that passed, flaky ones included.
    public var passed: Int
    /// Tests that broke a limit.
    public var failed: Int
    /// Tests rig could not judge.
    public var errored: Int
    /// Tests not run, with a reason.
    public var skipped: Int
    /// Passed only after an earlier attempt failed or errored (counted in `passed` too).
    public var flaky: Int
    /// The most severe verdict of any test.
    public var worstVerdict: Verdict
    /// The code `rig run` exits with for this run.
    public var exitStatus: Int32

    /// The summary of `run`.
    public init(_ run: RunResult) {
      tests = run.tests.count
      passed = run.count(.passed)
      failed = run.count(.failed)
      errored = run.count(.errored)
      skipped = run.count(.skipped)
      flaky = run.tests.filter(\.isFlaky).count
      worstVerdict = run.worstVerdict
      exitStatus = ExitStatus(run: run).rawValue
    }
  }

  /// The document: the run's fields, plus `format` and `summary`.
  public static func render(_ run: RunResult) throws -> String {
    let data: Data
    do {
      data = try ReportJSON.encoder(pretty: true).encode(Document(run: run))
    } catch {
      throw RigError(
        .internal, "cannot encode the results of run \(run.runID) as JSON", cause: error)
    }
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// Reads a `results.json` back (the run; `format` and `summary` are derived and ignored).
  public static func parse(_ data: Data) throws -> RunResult {
    let decoder = ReportJSON.decoder()
    let header = try? decoder.decode(Header.self, from: data)
    guard let format = header?.format, format == Self.format else {
      throw RigError(
        .configInvalid,
        "not a rig results.json in format \(Self.format) "
          + "(found \(header?.format ?? "no format field"))"
      )
    }
    do {
      return try decoder.decode(RunResult.self, from: data)
    } catch {
      throw RigError(.configInvalid, "results.json: \(ReportJSON.describe(error))")
    }
  }

  private struct Header: Decodable {
    var format: String
  }

  private struct Document: Encodable {
    var run: RunResult

    enum Keys: String, CodingKey {
      case format, summary
    }

    func encode(to encoder: any Encoder) throws {
      // The run's own fields stay at the top level, beside the two added ones.
      try run.encode(to: encoder)
      var container = encoder.container(keyedBy: Keys.self)
      try container.encode(JSONRenderer.format, forKey: .format)
      try container.encode(Summary(run), forKey: .summary)
    }
  }
}
