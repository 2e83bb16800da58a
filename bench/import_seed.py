"""Time the import of plan 386/KH-UBND from its text (issue 6; goal: under 200 ms).

    PLANTRACK_ENV=dev .venv/bin/python bench/import_seed.py [--runs 30] [--file PATH]

Measures ``import_document`` — read the file, parse the plan, resolve every agency — on the seed text kept with the
tests (plantrack/plans/tests/samples/plan_386_KH-UBND.txt), against the 2024 agency registry loaded from its
data file (what ``Registry.from_db`` returns after ``load_default``, without a database round trip). Prints the
first (cold) run, then the median and the best of the warm runs, and checks that the result still has 31 tasks.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANTRACK_ENV", "dev")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plantrack.settings")

import django  # noqa: E402

django.setup()

from plantrack.plans.importing import Registry, import_document  # noqa: E402

SEED = ROOT / "plantrack" / "plans" / "tests" / "samples" / "plan_386_KH-UBND.txt"
AGENCIES = ROOT / "plantrack" / "orgs" / "default_data" / "agencies_dong_nai_2024.json"
GOAL_MS = 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--file", type=Path, default=SEED)
    args = parser.parse_args()
    data = args.file.read_bytes()
    started = time.perf_counter()
    registry = Registry.from_data(json.loads(AGENCIES.read_text(encoding="utf-8")))
    registry_ms = (time.perf_counter() - started) * 1000
    timings = []
    result = None
    for _ in range(max(1, args.runs)):
        started = time.perf_counter()
        result = import_document(data, args.file.name, registry=registry)
        timings.append((time.perf_counter() - started) * 1000)
    tasks, targets = len(result.plan["tasks"]), len(result.plan["targets"])
    cold, warm = timings[0], timings[1:] or timings
    median = statistics.median(warm)
    print(
        f"plan import of {args.file.name} ({len(data) / 1024:.1f} KB): {tasks} tasks, {targets} targets, "
        f"{len(result.errors)} errors"
    )
    print(f"  registry load: {registry_ms:.1f} ms (once)")
    print(
        f"  import: cold {cold:.1f} ms, median {median:.1f} ms, best {min(warm):.1f} ms over {len(warm)} runs "
        f"(goal < {GOAL_MS:.0f} ms: {'ok' if max(cold, median) < GOAL_MS else 'MISSED'})"
    )
    return 0 if max(cold, median) < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
