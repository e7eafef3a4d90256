// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import RigCore

@Suite("report.html")
struct HTMLRendererTests {
  private func page(_ run: RunResult, frames: [String: FrameTable] = [:]) throws -> XMLTree {
    let html = HTMLRenderer.render(run, frames: frames)
    switch XMLTree.parse(html) {
    case .success(let root): return root
    case .failure(let failure): throw failure
    }
  }

  private var sampleFrames: [String: FrameTable] {
    ["artifacts/corridor-busy/frames.csv": FrameTableSamples.synthetic(frames: 200, dropEvery: 40, wrongFrom: 150)]
  }

  @Test("is one well-formed page with only its own script, allowed by hash and nothing else")
  func selfContained() throws {
    let html = HTMLRenderer.render(ReportSamples.run, frames: sampleFrames)
    let root = try page(ReportSamples.run, frames: sampleFrames)
    #expect(root.name == "html")
    let scripts = root.descendants("script")
    #expect(scripts.count == 1)
    #expect(scripts.first?.text == ReportScript.javascript)
    let policy = root.descendants("meta").first { $0["http-equiv"] == "Content-Security-Policy" }?["content"]
    #expect(policy?.contains("default-src 'none'") == true)
    #expect(policy?.contains(HTMLPage.hash(ReportScript.javascript)) == true)
    #expect(policy?.contains(HTMLPage.hash(ReportStyle.css)) == true)
    for url in ["http://", "https://", "//cdn", "src=\""] { #expect(!html.contains(url), "\(url)") }
    #expect(root.descendants("link").isEmpty && root.descendants("img").isEmpty && root.descendants("iframe").isEmpty)
  }

  @Test("puts the failures and errors first, each linked to its section")
  func problemsFirst() throws {
    let root = try page(ReportSamples.run, frames: sampleFrames)
    let main = try #require(root.descendants("main").first)
    #expect(main.children.first?["id"] == "problems")
    let items = main.children.first!.descendants("li")
    #expect(items.count == 3)
    #expect(items[0].allText.contains("FAILED") && items[0].allText.contains("corridor-busy"))
    #expect(items[1].allText.contains("ERRORED") && items[1].allText.contains("lighting-change"))
    #expect(items[2].allText.contains("flaky"))
    let ids = Set(root.descendants("section").compactMap { $0["id"] })
    for link in main.children.first!.descendants("a") {
      let target = try #require(link["href"]).dropFirst()
      #expect(ids.contains(String(target)), "link \(target) has a section")
    }
    let sections = root.descendants("section").filter { $0["class"] == "test" }
    #expect(sections.map { $0.descendants("bdi").first?.text } == [
      "corridor-busy", "lighting-change", "flaky-link", "corridor-day", "empty-room",
    ])
  }

  @Test("a run without problems has no problem list and says it passed")
  func allPassed() throws {
    var run = ReportSamples.run
    run.tests = [ReportSamples.passed]
    let root = try page(run)
    #expect(root.descendants("section").allSatisfy { $0["id"] != "problems" })
    #expect(root.descendants("p").first { $0["class"]?.hasPrefix("banner") == true }?.allText.contains("exit 0") == true)
  }

  @Test("shows the run's identity, whatever properties it has")
  func identity() throws {
    var run = ReportSamples.run
    run.properties += [
      .init("sim.seed", "42"), .init("vcs.commit", "abc123"), .init("ci.system", "github"), .init("ci.build_id", "987"),
      .init("ci.build_url", "https://ci.example/987"), .init("x.new", "y"),
    ]
    let root = try page(run)
    let list = try #require(root.descendants("dl").first)
    let terms = list.descendants("dt").map(\.text)
    for term in ["suite", "rig", "board", "firmware", "seed", "commit", "CI build", "started", "ended", "exit code"] {
      #expect(terms.contains(term), "\(term)")
    }
    #expect(list.allText.contains("1.4.2 \"beta\" <rc1>"))
    #expect(root.allText.contains("x.new"))
    #expect(list.descendants("a").first?["href"] == "https://ci.example/987")
    #expect(list.allText.contains("github 987"))
    run.properties += [.init("ci.build_url", "javascript:alert(1)")]
    run.properties.removeAll { $0.value == "https://ci.example/987" }
    #expect(try page(run).descendants("dl").first?.descendants("a").isEmpty == true, "only web addresses link")
  }

  @Test("every test gets its section; measured ones their limits and charts")
  func sections() throws {
    let root = try page(ReportSamples.run, frames: sampleFrames)
    let busy = try #require(root.descendants("section").first { $0["id"] == "t2-corridor-busy" })
    let charts = busy.descendants("svg").filter { $0["class"] == "chart" }
    #expect(charts.count == 6, "timeline, in/out, histogram, latency, RAM, stack")
    #expect(busy.descendants("table").contains { $0["class"] == "limits" })
    #expect(busy.allText.contains("past the limit"))
    #expect(busy.allText.contains("48 frames counted wrong"))
    #expect(busy.allText.contains("frame 150: counted 3, label 2 (+1)"))
    #expect(busy.descendants("a").compactMap { $0["href"] } == [
      "artifacts/corridor-busy/frames.csv", "artifacts/corridor-busy/console.log",
    ])
    let findings = try #require(busy.descendants("table").first { $0["class"] == "findings" })
    #expect(findings.allText.contains("39, 79, 119, 159, 199"))
    let day = try #require(root.descendants("section").first { $0["id"] == "t1-corridor-day" })
    #expect(day.allText.contains("No per-frame charts: frames.csv could not be read"))
    let empty = HTMLRenderer.render(ReportSamples.run, frames: ["artifacts/corridor-day/frames.csv": FrameTable()])
    #expect(empty.contains("No per-frame charts: frames.csv has no rows"))
    let skipped = try #require(root.descendants("section").first { $0["id"] == "t4-empty-room" })
    #expect(skipped.descendants("svg").isEmpty)
  }

  @Test("hostile names, messages, logs and file names stay text")
  func hostile() throws {
    let evil = "</title><script>alert(1)</script>\u{202E}gnp.exe <img src=x onerror=alert(2)> & \"q\" 'a' \u{1B}[2J\u{0}"
    var test = FrameTableSamples.result(name: evil, frames: 10, verdict: .failed)
    test.message = evil
    test.details = String(repeating: "x", count: 200_000) + evil
    test.log = evil + "\n" + String(repeating: "<b>", count: 50_000)
    test.attachments = ["artifacts/\(evil)/frames.csv", "artifacts/\"onload=x/console.log"]
    var run = ReportSamples.run
    run.suite = evil
    run.properties = [.init(evil, evil)]
    run.tests = [test]
    let html = HTMLRenderer.render(run, frames: ["artifacts/\(evil)/frames.csv": FrameTableSamples.synthetic(frames: 10)])
    let root = try page(run, frames: ["artifacts/\(evil)/frames.csv": FrameTableSamples.synthetic(frames: 10)])
    #expect(root.descendants("script").count == 1)
    #expect(root.descendants("img").isEmpty)
    #expect(root.descendants("b").isEmpty)
    #expect(!html.contains("\u{202E}") && !html.contains("\u{1B}") && !html.contains("\u{0}"))
    #expect(html.contains("[U+202E]"))
    for link in root.descendants("a").compactMap({ $0["href"] }) {
      #expect(link.hasPrefix("#") || link.hasPrefix("artifacts/"), "\(link)")
      #expect(!link.contains("\"") && !link.contains("<") && !link.contains(" "))
    }
    #expect(root.allText.contains("<img src=x onerror=alert(2)>"), "shown as text")
    #expect(html.utf8.count < 600_000, "the inline console is capped, the rest is in console.log")
  }

  @Test("a long test is drawn in buckets and still marks every dropped frame")
  func longClip() throws {
    // 20,000 frames are downsampled as 100,000 are (600 buckets a series); the 100,000-frame
    // size limit is measured by `Scripts/benchmark report`.
    let frames = 20_000
    var test = FrameTableSamples.result(name: "long", frames: frames)
    test.frames.sent = frames
    let table = FrameTableSamples.synthetic(frames: frames, dropEvery: 199, wrongFrom: 19_990, spikeAt: 14_321)
    var run = ReportSamples.run
    run.tests = [test]
    let html = HTMLRenderer.render(run, frames: ["artifacts/long/frames.csv": table])
    #expect(html.utf8.count < 400_000)
    #expect(html.contains("dropped: 100 frames, the first at 198"))
    #expect(html.contains("and 60 more ranges (60 frames; every frame is in frames.csv)"))
    #expect(html.contains("10 frames counted wrong"))
    #expect(SVGCheck.problems(html) == [])
  }

  @Test("a run without tests still renders")
  func empty() throws {
    var run = ReportSamples.run
    run.tests = []
    run.interruption = "run did not finish"
    let root = try page(run)
    #expect(root.allText.contains("No tests in this run"))
    #expect(root.allText.contains("the run was interrupted: run did not finish"))
  }

  @Test("a run that never started says why, first")
  func notStarted() throws {
    var run = ReportSamples.run
    run.tests = [TestResult(name: "corridor-day", classname: "demo", verdict: .errored, message: "not run", errorType: "HardwareUnavailable")]
    run.startFailure = StartFailure(reason: "rig 'sim' is in use by pid 42 <since 20:40>", exitStatus: 69)
    let root = try page(run)
    let problems = try #require(root.descendants("section").first { $0["id"] == "problems" })
    #expect(problems.descendants("li").first?.allText.contains("NOT STARTED") == true)
    #expect(problems.allText.contains("rig 'sim' is in use by pid 42 <since 20:40>"))
    #expect(root.allText.contains("exit 69: hardware unavailable"))
  }

  @Test("rendering is deterministic")
  func deterministic() {
    #expect(HTMLRenderer.render(ReportSamples.run, frames: sampleFrames) == HTMLRenderer.render(ReportSamples.run, frames: sampleFrames))
  }
}

extension XMLTree {
  /// Every element below this one with that name, in document order.
  func descendants(_ name: String) -> [XMLTree] {
    children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
  }

  /// The text of this element and everything below it.
  var allText: String { text + children.map(\.allText).joined() }
}
