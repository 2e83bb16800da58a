"""What a clerk's autosaves cost the coordinator: N draft saves by ``bench-reporter`` (through
``reporting.services.report_save_draft``, as the form's autosave does), each followed by ``bench-coordinator``'s
dashboard of that cycle, in-process (Django's test Client). Prints how many dashboard requests rendered the page
body (a cache miss) and their median and mean time.

    PLANTRACK_ENV=dev .venv/bin/python bench/autosave_dashboard.py --database-url URL [--saves 30] [--as-before]

``--as-before`` makes every save bump the keys of pages shown outside the agency (the rule before draft-only saves
bumped ``agency-reports:<id>`` alone), for a side-by-side figure. The database is the one ``bench/scale.py`` made;
the saves change the bench reporter's draft (its "main results" text and version).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEFAULT_URL  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--as-before", action="store_true", help="every save bumps the outsiders' keys")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("PLANTRACK_ENV", "dev")
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.refapp.settings"
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from plantrack.accounts.models import User
    from plantrack.monitoring import cache_versions
    from plantrack.plans.models import Plan
    from plantrack.reporting import services
    from plantrack.reporting.models import AgencyReport, CycleState, ReportingCycle

    setup_test_environment()  # response.context: whether the dashboard's body was rendered
    if args.as_before:
        report_keys = cache_versions._report_keys

        def every_key(report):
            report.seen_by_agency_only = False
            return report_keys(report)

        cache_versions._report_keys = every_key
    coordinator = User.objects.get(username="bench-coordinator")
    reporter = User.objects.get(username="bench-reporter")
    plan = Plan.objects.filter(coordinator_agency=coordinator.agency_id).order_by("pk").first()
    cycle = ReportingCycle.objects.get(plan=plan, state=CycleState.OPEN)
    report = AgencyReport.objects.get(cycle=cycle, agency=reporter.agency_id)
    client = Client()
    client.force_login(coordinator)
    url = reverse("monitoring:dashboard", args=[cycle.pk])
    client.get(url)
    rendered, times = 0, []
    for i in range(args.saves):
        report.refresh_from_db()
        services.report_save_draft(
            actor=reporter,
            report=report,
            version=report.version,
            sections={"main_results": f"Lưu tự động {i}"},
        )
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        rendered += response.context["board"] is not None
    rule = "every save bumps the outsiders' keys (as before)" if args.as_before else "this tree"
    print(
        f"{rule}: {args.saves} autosaves, the dashboard rendered {rendered} times; "
        f"median {statistics.median(times) * 1000:.1f} ms, mean {statistics.mean(times) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
