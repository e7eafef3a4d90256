// SPDX-License-Identifier: Apache-2.0
import ArgumentParser
import Foundation
import RigCore
import RigHistory

extension Rig {
  struct HistoryHTML: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "html",
      abstract: "Write the history as one HTML page: changes, flaky tests, latest runs, trends.",
      discussion: """
        Writes OUT/index.html: the change points of every test's headline metrics (as rig history \
        trends finds them) and its flaky runs first, then the latest runs linked to their \
        report.html where the run folder they were recorded from is still there, then each test's \
        trends with its changes and flips marked (docs/reports.md).
        """)

    @OptionGroup var historyOptions: HistoryOptions
    @Option(name: .long, help: "Folder to write index.html into (created).") var out = "Reports/history"
    @Option(name: .long, help: "Only this suite.") var suite: String?
    @Option(name: .long, help: "How many of the latest runs to list.") var runs = 50

    func run() async throws {
      do {
        let store = try historyOptions.open(create: false)
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("index.html")
        let page = try await HistoryPageBuilder.build(
          store: store, source: store.url.displayPath, suite: suite, latest: max(runs, 0), page: file)
        do {
          try Data(HistoryPageRenderer.render(page).utf8).write(to: file, options: .atomic)
        } catch {
          throw RigError(
            .hardwareFault, "cannot write \(file.displayPath): \(error.localizedDescription) (check free space "
              + "and permissions of \(folder.displayPath))")
        }
        let changes = page.series.reduce(0) { $0 + $1.changes.count }
        let flaky = Set(page.series.filter { !$0.flips.isEmpty }.map { "\($0.suite) \($0.rig) \($0.test)" }).count
        Terminal.out(
          "history page: \(file.displayPath) (\(page.runCount) runs, \(page.series.count) metric series, "
            + "\(changes) change\(changes == 1 ? "" : "s"), \(flaky) flaky test\(flaky == 1 ? "" : "s"))")
      } catch {
        throw Failure.exit(error)
      }
    }
  }
}
