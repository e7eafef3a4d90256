// SPDX-License-Identifier: Apache-2.0

extension JUnitRenderer {
  /// The tests of one `<testsuite>`: a run on one rig is one group; a run on several has one per
  /// rig, named `<suite>@<rig>` with that rig's properties, plus `<suite>@not-run` for tests no
  /// rig ran. The testcases keep their classname (the suite) and name whichever rig ran them,
  /// so a dashboard follows a test from night to night as it moves between rigs.
  struct SuiteGroup {
    var name: String
    var tests: [TestResult]
    var properties: [RunResult.Property]
    /// The `time` attribute: the run's duration on one rig, the rig's tests' time on several.
    var time: Double
    /// The rig, in a run on several.
    var rig: RigRun?

    /// The name of the group that holds the tests no rig ran.
    static let notRun = "not-run"

    static func groups(of run: RunResult) -> [SuiteGroup] {
      guard let rigs = run.rigs, !rigs.isEmpty else {
        return [
          SuiteGroup(
            name: "\(run.suite)@\(run.rig)", tests: nonEmpty(run.tests, run: run, why: "no test was selected for this run"),
            properties: suiteProperties(run), time: run.duration)
        ]
      }
      var groups: [SuiteGroup] = []
      let known = Set(rigs.map(\.name))
      for rig in rigs {
        let tests = run.tests.filter { $0.rig == rig.name }
        let why = "no test ran on \(rig.name) (\(rig.state.rawValue)\(rig.reason.map { ": \($0)" } ?? ""))"
        groups.append(SuiteGroup(
          name: "\(run.suite)@\(rig.name)", tests: nonEmpty(tests, run: run, why: why),
          properties: properties(of: rig, in: run), time: tests.reduce(0) { $0 + $1.duration }, rig: rig))
      }
      let orphans = run.tests.filter { $0.rig.map { !known.contains($0) } ?? true }
      if !orphans.isEmpty {
        groups.append(SuiteGroup(
          name: "\(run.suite)@\(notRun)", tests: orphans, properties: suiteProperties(run),
          time: orphans.reduce(0) { $0 + $1.duration }))
      }
      return groups
    }

    /// Jenkins and Azure drop or reject a suite without testcases; say why it is empty instead.
    private static func nonEmpty(_ tests: [TestResult], run: RunResult, why: String) -> [TestResult] {
      guard tests.isEmpty else { return tests }
      return [TestResult(name: "no tests", classname: run.suite, verdict: .skipped, message: why)]
    }

    /// The run's properties with the rig's own over them, and its state.
    private static func properties(of rig: RigRun, in run: RunResult) -> [RunResult.Property] {
      var own = [
        RunResult.Property("rig.id", rig.name), .init("rig.board", rig.board), .init("rig.file", rig.file),
        .init("rig.state", rig.state.rawValue),
      ]
      if let reason = rig.reason { own.append(.init("rig.reason", reason)) }
      if let origin = rig.origin { own.append(.init("rig.origin", origin)) }
      own += rig.properties
      var merged = run.properties.filter { property in !own.contains { $0.name == property.name } }
      var names = Set<String>()
      merged = own.filter { names.insert($0.name).inserted } + merged
      return suiteProperties(RunResult(
        runID: run.runID, suite: run.suite, rig: rig.name, startedAt: run.startedAt,
        duration: run.duration, properties: merged, tests: [], interruption: run.interruption))
    }
  }

  /// What a testcase says about the rig that ran it, as `[[PROPERTY|…]]` lines: the rig and its
  /// board, with the board's identity where the rig reported one.
  static func testcaseProperties(_ rig: RigRun) -> [RunResult.Property] {
    var list = [RunResult.Property("rig.id", rig.name), .init("rig.board", rig.board)]
    for name in ["board.id", "fw.image_hash"] {
      if let value = rig.property(name) { list.append(.init(name, value)) }
    }
    return list
  }
}
