#!/usr/bin/env python3
# Opens rig's report.html pages in headless Chromium, driven over the DevTools protocol on a pipe
# (--remote-debugging-pipe: no port, no WebSocket library, Python's standard library only), and
# checks what a reader sees. For each run folder given:
#   - the page loads from file:// with no console error, no exception, no blocked resource and no
#     request to anything but the file itself;
#   - every test in results.json has its section, and every measured test its charts, drawn with
#     a real size;
#   - when a test failed or errored, the list of failures is the first thing in the page's main
#     part, inside the first screen, and the first test section is the first failed test;
#   - at a phone's width (390 px) nothing runs off the side; printed on A4 it gives a page per
#     test at least;
#   - "hostile" runs: no injected script ran, no dialog opened, the injected text shows as text;
#   - "baseline" runs (with a history): every test has its comparison and sparklines, and a test
#     worse than its baseline is listed first;
#   - "history": the page of `rig history html` (a folder with index.html): loads cleanly, the
#     changes come first, every test has its trends.
# Screenshots (wide and narrow) and the printed PDF go to the output folder.
#
# usage: check_report.py OUT_DIR KIND:NAME:FOLDER ...   (KIND: passing, failing, hostile, baseline, history)
import base64
import json
import os
import select
import subprocess
import sys
import time

BROWSER = os.environ.get("RIG_BROWSER", "chromium-headless-shell")
TIMEOUT = 30.0


class Browser:
    """A headless Chromium and one page, spoken to over fds 3 and 4 (the DevTools pipe)."""

    def __init__(self):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def wire():
            # The browser reads commands on fd 3 and writes replies and events on fd 4.
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [BROWSER, "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--headless",
             "--no-first-run", "--hide-scrollbars", "--allow-file-access-from-files", "about:blank"],
            preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", {}, page=True)

    def send(self, method, params, page):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if page:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise TimeoutError("the browser did not answer in %.0f s" % TIMEOUT)
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed its pipe (did it crash?)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params, page=False):
        wanted = self.send(method, params, page)
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self.read(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError("%s failed: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method):
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(index)
            message = self.read(deadline)
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, page=True)
        if "exceptionDetails" in result:
            raise RuntimeError("page check failed: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def open(self, url, width, height=900):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, page=True)
        self.events = [e for e in self.events if e["method"] not in ("Page.loadEventFired",)]
        self.call("Page.navigate", {"url": url}, page=True)
        self.wait_for("Page.loadEventFired")

    def screenshot(self, path):
        height = self.evaluate("document.documentElement.scrollHeight")
        width = self.evaluate("document.documentElement.clientWidth")
        shot = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 16000), "scale": 1}}, page=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def pdf(self, path):
        printed = self.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False}, page=True)
        data = base64.b64decode(printed["data"])
        with open(path, "wb") as f:
            f.write(data)
        return data.count(b"/Type /Page") - data.count(b"/Type /Pages")

    def problems(self, page_url):
        """Console errors and warnings, exceptions, log errors and requests to anything else."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                found.append("console %s: %s" % (params["type"], [a.get("value") for a in params.get("args", [])]))
            elif method == "Runtime.exceptionThrown":
                found.append("exception: %s" % params["exceptionDetails"].get("text"))
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append("log %s: %s" % (params["entry"]["level"], params["entry"]["text"]))
            elif method == "Network.requestWillBeSent" and params["request"]["url"] != page_url:
                found.append("request to %s" % params["request"]["url"])
            elif method == "Network.loadingFailed":
                found.append("loading failed: %s" % params.get("errorText"))
            elif method == "Page.javascriptDialogOpening":
                found.append("a dialog opened: %s" % params.get("message"))
        return found

    def close(self):
        try:
            self.call("Browser.close", {})
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


# What the page shows, gathered in the page: one object to compare with results.json.
LAYOUT = r"""
(function () {
  var main = document.querySelector("main");
  var problems = document.getElementById("problems");
  var sections = Array.prototype.map.call(document.querySelectorAll("section.test"), function (s) {
    var charts = Array.prototype.map.call(s.querySelectorAll("svg.chart"), function (c) {
      var r = c.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)];
    });
    return {id: s.id, name: s.querySelector("h2 bdi").textContent, charts: charts,
            verdict: s.querySelector("h2 .v").textContent};
  });
  return {
    title: document.title,
    firstInMain: main.firstElementChild ? main.firstElementChild.id : null,
    problemsTop: problems ? problems.getBoundingClientRect().top : null,
    problemItems: problems ? Array.prototype.map.call(problems.querySelectorAll("li"), function (li) {
      return li.textContent; }) : [],
    sections: sections,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    innerHeight: window.innerHeight,
    pwned: typeof window.__rigPwned !== "undefined",
    baselines: document.querySelectorAll("section.test h3").length ? Array.prototype.filter.call(
      document.querySelectorAll("section.test h3"), function (h) { return h.textContent === "Against the baseline"; }).length : 0,
    sparklines: document.querySelectorAll("svg.spark").length,
    buttons: document.querySelectorAll(".controls button").length
  };
})()
"""


def check(browser, kind, name, folder, out):
    if kind == "history":
        return check_history(browser, name, folder, out)
    report = os.path.abspath(os.path.join(folder, "report.html"))
    url = "file://" + report
    with open(os.path.join(folder, "results.json")) as f:
        results = json.load(f)
    tests = results["tests"]
    failures = []

    def expect(condition, what):
        if not condition:
            failures.append(what)

    browser.events = []
    browser.open(url, 1200)
    page = browser.evaluate(LAYOUT)
    for problem in browser.problems(url):
        failures.append(problem)
    expect(len(page["sections"]) == len(tests),
           "%d test sections for %d tests" % (len(page["sections"]), len(tests)))
    # Hostile names are shown with their invisible characters made visible: match on the first word.
    def key(name):
        return name.split(" ")[0] if kind == "hostile" else name

    shown = sorted(key(s["name"]) for s in page["sections"])
    expect(shown == sorted(key(t["name"]) for t in tests), "sections %s, tests %s" % (shown, [t["name"] for t in tests]))
    by_name = {key(s["name"]): s for s in page["sections"]}
    for test in tests:
        section = by_name.get(key(test["name"]))
        if section is None or kind == "hostile":
            continue
        measured = any(a.endswith("frames.csv") for a in test.get("attachments", []))
        if measured:
            expect(len(section["charts"]) >= 4, "%s: %d charts" % (test["name"], len(section["charts"])))
            expect(all(w > 100 and h > 50 for w, h in section["charts"]), "%s: a chart drawn too small: %s"
                   % (test["name"], section["charts"]))
    expect(page["buttons"] == 2, "the script added its two buttons (it ran)")
    bad = [t for t in tests if t["verdict"] in ("failed", "errored")]
    if kind == "baseline":
        measured = [t for t in tests if t["verdict"] != "skipped"]
        expect(page["baselines"] == len(measured), "%d of %d tests shown against their baseline"
               % (page["baselines"], len(measured)))
        expect(page["sparklines"] >= len(measured), "%d sparklines" % page["sparklines"])
        expect(page["firstInMain"] == "problems", "the regression against the baseline comes first")
    elif kind in ("failing", "hostile"):
        expect(bool(bad), "a failing run has a failed or errored test")
        expect(page["firstInMain"] == "problems", "the failures come first in the page (first: %s)" % page["firstInMain"])
        expect(page["problemsTop"] is not None and page["problemsTop"] < page["innerHeight"] / 2,
               "the failures are in the top half of the first screen (at %s px)" % page["problemsTop"])
        first_bad = next((t for t in tests if t["verdict"] == "failed"), bad[0] if bad else None)
        if first_bad and page["sections"]:
            expect(key(page["sections"][0]["name"]) == key(first_bad["name"]),
                   "the first section is %s, not the failed %s" % (page["sections"][0]["name"], first_bad["name"]))
    else:
        expect(page["firstInMain"] != "problems", "a passing run lists no failures")
    if kind == "hostile":
        expect(not page["pwned"], "an injected script ran")
        expect(any("<script>" in s["name"] for s in page["sections"]), "the injected markup shows as text")
    browser.screenshot(os.path.join(out, name + ".png"))

    browser.events = []
    browser.open(url, 390, 844)
    narrow = browser.evaluate(LAYOUT)
    expect(narrow["scrollWidth"] <= narrow["innerWidth"] + 1,
           "at 390 px the page is %d px wide" % narrow["scrollWidth"])
    browser.screenshot(os.path.join(out, name + "-narrow.png"))
    pages = browser.pdf(os.path.join(out, name + ".pdf"))
    expect(pages >= len(tests), "printed on %d A4 pages for %d tests" % (pages, len(tests)))

    status = "ok  " if not failures else "FAIL"
    print("%s %s (%s): %d tests, %d sections, %d charts, %d printed pages, %s" % (
        status, name, kind, len(tests), len(page["sections"]), sum(len(s["charts"]) for s in page["sections"]),
        pages, report))
    for failure in failures:
        print("       " + failure)
    return not failures


def check_history(browser, name, folder, out):
    """The history page: clean load, changes first, a trend per test, no overflow, prints."""
    page_file = os.path.abspath(os.path.join(folder, "index.html"))
    url = "file://" + page_file
    failures = []
    browser.events = []
    browser.open(url, 1200)
    layout = browser.evaluate(r"""
    (function () {
      var main = document.querySelector("main");
      return {firstInMain: main.firstElementChild ? main.firstElementChild.id : null,
              tests: document.querySelectorAll("section.test").length,
              sparklines: document.querySelectorAll("svg.spark").length,
              changes: document.querySelectorAll("#changes tbody tr").length};
    })()""")
    failures += [p for p in browser.problems(url) if not p.startswith("request to file://")]
    if layout["firstInMain"] != "changes":
        failures.append("the changes come first (first: %s)" % layout["firstInMain"])
    if layout["tests"] == 0 or layout["sparklines"] < layout["tests"]:
        failures.append("%d test sections, %d sparklines" % (layout["tests"], layout["sparklines"]))
    browser.screenshot(os.path.join(out, name + ".png"))
    browser.open(url, 390, 844)
    width = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1] + 1:
        failures.append("at 390 px the page is %d px wide" % width[0])
    browser.screenshot(os.path.join(out, name + "-narrow.png"))
    pages = browser.pdf(os.path.join(out, name + ".pdf"))
    print("%s %s (history): %d tests, %d sparklines, %d changes, %d printed pages, %s" % (
        "ok  " if not failures else "FAIL", name, layout["tests"], layout["sparklines"], layout["changes"], pages,
        page_file))
    for failure in failures:
        print("       " + failure)
    return not failures


def main():
    if len(sys.argv) < 3:
        print(__doc__ or "usage: check_report.py OUT_DIR KIND:NAME:RUN_FOLDER ...", file=sys.stderr)
        return 64
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    browser = Browser()
    try:
        results = [check(browser, *case.split(":", 2), out) for case in sys.argv[2:]]
    finally:
        browser.close()
    print("browser tier: %d of %d reports pass; screenshots and PDFs in %s" % (sum(results), len(results), out))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
