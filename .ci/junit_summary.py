"""Read pytest's JUnit XML files and check that a run really tested something.

    python .ci/junit_summary.py LABEL=FILE [LABEL=FILE ...] [--totals FILE]

For each file prints "LABEL: N passed, N failed, N skipped (browser: N ran, N skipped)" and exits 1 when a run
executed no test, or ran no browser test, or skipped a browser test (in CI Chromium is installed first, so a
skipped browser test means the browser journeys silently did not run). ``--totals`` writes the summed counts as
"passed failed skipped" for the final summary line of .ci/run.
"""

import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own pytest output
from pathlib import Path

BROWSER_CLASS_PREFIX = "tests.browser."


def count(path: Path) -> dict[str, int]:
    counts = dict.fromkeys(("passed", "failed", "skipped", "browser_ran", "browser_skipped"), 0)
    for case in ET.parse(path).getroot().iter("testcase"):  # noqa: S314 - our own pytest output
        outcome = "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        counts[outcome] += 1
        if case.get("classname", "").startswith(BROWSER_CLASS_PREFIX):
            counts["browser_skipped" if outcome == "skipped" else "browser_ran"] += 1
    return counts


def main(argv: list[str]) -> int:
    totals_file = None
    if "--totals" in argv:
        index = argv.index("--totals")
        totals_file = Path(argv[index + 1])
        argv = argv[:index] + argv[index + 2 :]
    problems = []
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    for spec in argv:
        label, _, filename = spec.partition("=")
        path = Path(filename)
        if not path.exists():
            problems.append(f"{label}: no JUnit report at {path} (did pytest run?)")
            continue
        c = count(path)
        print(
            f"{label}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped "
            f"(browser: {c['browser_ran']} ran, {c['browser_skipped']} skipped)"
        )
        for key in totals:
            totals[key] += c[key]
        if c["passed"] + c["failed"] == 0:
            problems.append(f"{label}: no test was executed")
        if c["browser_ran"] == 0:
            problems.append(f"{label}: no browser test ran")
        if c["browser_skipped"]:
            problems.append(f"{label}: {c['browser_skipped']} browser test(s) skipped")
    if totals_file is not None:
        totals_file.write_text(f"{totals['passed']} {totals['failed']} {totals['skipped']}\n")
    for problem in problems:
        print(f"ERROR {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
