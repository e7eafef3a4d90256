// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  struct HistoryTrends: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "trends",
      abstract: "Find where each metric's history changed (E-divisive change points).",
      discussion: """
        Slow drifts pass every night-to-night comparison; over the history they show as a change \
        of level. For each suite, rig, test and metric, reports the run where a change began, its \
        size and its confidence (docs/history.md).
        """)

    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: "Only this suite.") var suite: String?
    @Option(name: .long, help: "Only this test.") var test: String?
    @Option(
      name: .long,
      help: "Only this metric (default: the headline ones, \(headline.map(\.rawValue).joined(separator: ", "))).")
    var metric: String?

    /// The metrics searched unless one is named: one or two per aspect, so the nightly question
    /// is answered in a second or two over a thousand nights.
    static let headline: [Metric] = [.countExactMatch, .countMAE, .latencyP50, .latencyP95, .ramPeak, .framesMissing]
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Trend: Codable, Sendable {
      var suite: String
      var rig: String
      var test: String
      var metric: Metric
      var runs: Int
      /// The run where the change began (its first run after the change).
      var run: String
      var before: Double
      var after: Double
      var relativeSize: Double?
      var confidence: Double
    }

    func run() async throws {
      do {
        var chosen = Set(Self.headline)
        if let metric {
          guard let known = Metric(rawValue: metric) else {
            throw RigError(
              .usage, "unknown metric '\(metric)'; metrics are: " + Metric.allCases.map(\.rawValue).joined(separator: ", "))
          }
          chosen = [known]
        }
        let series = try historyOptions.open(create: false).metricSeries(suite: suite, test: test, metrics: chosen)
        let trends = await Self.trends(in: series)
        if json {
          Terminal.out(try HistoryJSON.render(trends))
          return
        }
        if trends.isEmpty {
          Terminal.out("no change found in \(series.count) metric series")
          return
        }
        var rows = [["suite", "rig", "test", "metric", "from run", "before", "after", "change", "confidence"]]
        for t in trends {
          rows.append([
            t.suite, t.rig, t.test, t.metric.rawValue, t.run, MetricFormat.number(t.before),
            MetricFormat.number(t.after),
            t.relativeSize.map { String(format: "%+.1f %%", $0 * 100) } ?? MetricFormat.number(t.after - t.before),
            String(format: "%.1f %%", t.confidence * 100),
          ])
        }
        Terminal.out(TextTable.render(rows))
        Terminal.out("\(trends.count) change\(trends.count == 1 ? "" : "s") in \(series.count) metric series")
      } catch {
        throw Failure.exit(error)
      }
    }

    /// Change points of every series, searched on all cores; in series order.
    static func trends(in series: [HistoryStore.MetricSeries]) async -> [Trend] {
      let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
      let found = await withTaskGroup(of: [(Int, [Trend])].self) { group in
        for worker in 0..<workers {
          group.addTask {
            stride(from: worker, to: series.count, by: workers).map { index in
              let s = series[index]
              // A series that never moved (no frames ever missing) has nothing to find.
              let constant = s.values.allSatisfy { $0 == s.values.first }
              let changes = constant ? [] : ChangePoints.find(in: s.values)
              return (index, changes.map { change in
                Trend(
                  suite: s.suite, rig: s.rig, test: s.test, metric: s.metric, runs: s.runs.count,
                  run: s.runs[change.index], before: change.before, after: change.after,
                  relativeSize: change.relativeSize, confidence: change.confidence)
              })
            }
          }
        }
        var all: [(Int, [Trend])] = []
        for await part in group { all += part }
        return all
      }
      return found.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
  }

  struct HistoryFlaky: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "flaky",
      abstract: "List flaky tests: verdicts that flipped with the same firmware and clip, passes on retry.")

    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: "Only this suite.") var suite: String?
    @Flag(name: .long, help: "Print JSON.") var json = false

    struct Flaky: Codable {
      var suite: String
      var rig: String
      var test: String
      var finding: FlakyTests.Finding
    }

    func run() throws {
      do {
        let histories = try historyOptions.open(create: false).outcomes(suite: suite)
        let flaky = histories.flatMap { history in
          FlakyTests.find(in: history.outcomes).map {
            Flaky(suite: history.suite, rig: history.rig, test: history.test, finding: $0)
          }
        }
        if json {
          Terminal.out(try HistoryJSON.render(flaky))
        } else if flaky.isEmpty {
          Terminal.out("no flaky tests in \(histories.count) test histories")
        } else {
          Terminal.out(TextTable.render(
            [["suite", "rig", "test", "kind", "why"]]
              + flaky.map { [$0.suite, $0.rig, $0.test, $0.finding.kind.rawValue, $0.finding.reason] }))
        }
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}
