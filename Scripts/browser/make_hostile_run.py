#!/usr/bin/env python3
# Makes a run folder whose text is hostile, from a real one: the failed test's name, message,
# details, console lines and file names get markup, script, quotes, control characters,
# right-to-left overrides and a very long line. `rig report` then writes its report.html from
# the events alone, as after a crash; the browser tier checks nothing in it runs or breaks out.
#
# usage: make_hostile_run.py SOURCE_RUN_FOLDER DEST_RUN_FOLDER
import json
import os
import shutil
import sys

HOSTILE = ("<script>window.__rigPwned=1</script><img src=x onerror=\"window.__rigPwned=2\">"
           "\"'&amp; \u202egnp.exe\u202c \u05e9\u05dc\u05d5\u05dd \x1b[31mred\x1b[0m bell\x07")
LONG_LINE = "x" * 20000


def main(source, dest):
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    with open(os.path.join(dest, "results.json")) as f:
        victim = next(t for t in json.load(f)["tests"] if t["verdict"] == "failed")["name"]
    evil = victim + " " + HOSTILE
    folder = "artifacts/" + evil.replace("/", "_")
    os.rename(os.path.join(dest, "artifacts", victim), os.path.join(dest, folder))

    def rename(value):
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        if value == victim:
            return evil
        if isinstance(value, str) and value.startswith("artifacts/%s/" % victim):
            return folder + value[len("artifacts/%s" % victim):]
        return value

    lines = []
    with open(os.path.join(dest, "events.ndjson")) as f:
        for line in f:
            event = rename(json.loads(line))
            if event["event"] == "test_finished" and event["name"] == evil:
                event["message"] = HOSTILE + " " + event.get("message", "")
                event["details"] = HOSTILE + "\n" + LONG_LINE + "\n" + event.get("details", "")
                event["log"] = HOSTILE + "\n" + LONG_LINE + "\n</pre></details><script>window.__rigPwned=3</script>"
            if event["event"] == "run_started":
                event["properties"].append({"name": "ci.build" + HOSTILE, "value": HOSTILE})
            lines.append(json.dumps(event, ensure_ascii=False))
    with open(os.path.join(dest, "events.ndjson"), "w") as f:
        f.write("\n".join(lines) + "\n")
    for stale in ("report.html", "junit.xml", "results.json", "summary.txt"):
        os.remove(os.path.join(dest, stale))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
