// SPDX-License-Identifier: Apache-2.0

/// The rigs of a run on several rigs (a pool, or merged shards) in the HTML report: each rig's
/// state and why, its board and file, and the tests it ran with their verdicts, so a bench that
/// dropped out of a nightly shows beside the firmware's results, not inside them.
struct RigsSection {
  let run: RunResult
  /// Section anchors by test index.
  let anchors: [String]

  func render() -> String {
    guard let rigs = run.rigs, !rigs.isEmpty else { return "" }
    var out = "<section id=\"rigs\" aria-labelledby=\"rigs-h\"><h2 id=\"rigs-h\">Rigs</h2>"
      + "<div class=\"tablewrap\"><table><thead><tr><th>rig</th><th>state</th><th>board</th>"
      + "<th class=\"n\">tests</th><th>verdicts</th></tr></thead><tbody>"
    for rig in rigs {
      let ran = run.tests.indices.filter { run.tests[$0].rig == rig.name }
      let state = rig.isOut ? "<span class=\"v errored\">! \(rig.state.rawValue)</span>" : rig.state.rawValue
      let reason = rig.reason.map { "<br><span class=\"muted\">\(HTMLText.escape($0))</span>" } ?? ""
      let board = rig.board + (rig.properties.first { $0.name == "board.id" }.map { " \($0.value)" } ?? "")
      let file = rig.origin.map { "\(rig.file), from \($0)" } ?? rig.file
      out += "<tr><td>\(HTMLText.isolated(rig.name))<br><span class=\"muted\">\(HTMLText.escape(file))</span></td>"
        + "<td>\(state)\(reason)</td><td>\(HTMLText.isolated(board))</td>"
        + "<td class=\"n\">\(ran.count)</td><td>\(verdicts(ran))</td></tr>"
    }
    return out + "</tbody></table></div></section>"
  }

  /// The tests a rig ran, each linked to its section, worst first.
  private func verdicts(_ indices: [Int]) -> String {
    indices.sorted { (VerdictLabel.order(run.tests[$0]), $0) < (VerdictLabel.order(run.tests[$1]), $1) }
      .map { "\(VerdictLabel.html(run.tests[$0])) <a href=\"#\(anchors[$0])\">\(HTMLText.isolated(run.tests[$0].name))</a>" }
      .joined(separator: ", ")
  }
}
