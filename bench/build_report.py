"""Time the consolidated report build for a province with 60 reporting agencies and 6 years of figures
(issue 5; goal: under 1 second on a 2-core machine).

    PLANTRACK_ENV=dev .venv/bin/python bench/build_report.py [--agencies 60] [--runs 5] [--keep DIR]

Everything happens in a throwaway SQLite database in a temporary directory (never your data): migrate, load the
embedded default (plan 386/KH-UBND, 31 tasks, 9 targets), add synthetic agencies to the group "Các sở, ban,
ngành" until the 2025 cycle expects ``--agencies`` reports, then, through the real services, open the cycle, fill,
submit and accept every report (every agency reports on every task it owes, so this is the largest report the
data allows) and record figures for 2020–2025 of every indicator and component.

Then changes one figure through ``figure_record`` (charts prepared after the commit, ``CONSOLIDATED_CHART_PREPARE``
inline here so it can be timed) and prints the time of:

- preparing every chart from an empty cache, and the one chart a figure change redraws (what the web process
  spends after the figure's commit, in a background thread);
- the **cold build**: the first build after that figure change, in a fresh process (``python`` started anew, so
  the document libraries are imported too; the time of those imports is shown apart);
- the same in a fresh process with an empty chart cache (the worst case: charts drawn during the build);
- warm builds (median and best) and builds without charts, in this process;

each split into compile / charts / docx / xlsx, with CPU time beside wall time and the load average: on a shared
machine the wall time of a busy minute says little.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANTRACK_ENV", "dev")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plantrack.settings")
# A child process (the cold build) works on its parent's throwaway directory.
CHILD = os.environ.get("PLANTRACK_BENCH_CHILD") == "1"
WORKDIR = (
    Path(os.environ["PLANTRACK_DATA_DIR"])
    if CHILD
    else Path(tempfile.mkdtemp(prefix="plantrack-bench-report-"))
)
os.environ["PLANTRACK_DATA_DIR"] = str(WORKDIR)
os.environ.pop("DATABASE_URL", None)  # never touch a configured database
os.environ["CONSOLIDATED_CHART_PREPARE"] = "off"  # setup records 84 figures; preparation is timed on its own

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from plantrack.consolidation.report import charts as report_charts  # noqa: E402
from plantrack.indicators.models import IndicatorDefinition  # noqa: E402
from plantrack.indicators.services import figure_record  # noqa: E402
from plantrack.notifications.services import mail_suppressed  # noqa: E402
from plantrack.orgs.services import agencies_load  # noqa: E402
from plantrack.plans.models import Plan  # noqa: E402
from plantrack.plans.selectors import assignments_expanded  # noqa: E402
from plantrack.reporting import services  # noqa: E402
from plantrack.reporting.models import AgencyReport, EntryStatus  # noqa: E402
from plantrack.reporting.services import default_due_date  # noqa: E402

GOAL_MS = 1000.0
YEARS = range(2020, 2026)
STATUSES = [EntryStatus.CONTINUING, EntryStatus.IN_PROGRESS, EntryStatus.DONE, EntryStatus.CONTINUING]
RESULT = (
    "Đã ban hành {n} văn bản triển khai; tổ chức {m} hội nghị quán triệt, tuyên truyền với khoảng {k} lượt cán bộ, "
    "công chức, viên chức tham dự; phối hợp các cơ quan liên quan triển khai các nội dung của nhiệm vụ, bố trí "
    "kinh phí từ nguồn sự nghiệp khoa học và công nghệ, đánh giá kết quả và đề xuất giải pháp cho năm tiếp theo."
)


def _user(username: str, role: str, agency=None):
    user = get_user_model().objects.create(username=username, role=role, agency=agency, full_name=username)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def make_world(agencies: int) -> tuple:
    call_command("migrate", verbosity=0)
    call_command("load_default", "--no-demo", verbosity=0)
    plan = Plan.objects.by_code("386/KH-UBND").get()
    due = default_due_date(plan, 2025)
    missing = agencies - len(assignments_expanded(plan=plan, day=due))
    if missing > 0:
        names = [f"Đơn vị thử nghiệm số {i:02d}" for i in range(1, missing + 1)]
        agencies_load(
            data={
                "format": "plantrack.agencies/1",
                "agencies": [{"name": n, "short_name": n, "kind": "department"} for n in names],
                "groups": [{"code": "so-ban-nganh", "name": "Các sở, ban, ngành", "members": names}],
            }
        )
    coordinator = _user("bench-dieuphoi", "coordinator", plan.coordinator_agency)
    with mail_suppressed():
        cycle = services.cycle_open(actor=coordinator, plan=plan, year=2025)
        reports = list(AgencyReport.objects.filter(cycle=cycle).select_related("agency"))
        for index, report in enumerate(reports):
            head = _user(f"bench-lanhdao-{report.agency_id}", "head", report.agency)
            entries = {
                e.pk: {
                    "status": STATUSES[(i + index) % len(STATUSES)],
                    "results": RESULT.format(n=2 + i % 5, m=1 + index % 4, k=100 + 10 * i),
                    "difficulties": "Kinh phí bố trí còn hạn chế; nhân lực chuyên trách còn thiếu."
                    if i % 3 == 0
                    else "",
                }
                for i, e in enumerate(report.entries.order_by("order"))
            }
            services.report_save_draft(
                actor=head,
                report=report,
                version=report.version,
                entries=entries,
                sections={
                    "main_results": f"Kết quả nổi bật của {report.agency.name}.",
                    "shortcomings": "Nguồn lực tài chính và nhân lực chuyên trách còn thiếu.",
                    "next_year": "Tiếp tục thực hiện các nhiệm vụ thường xuyên.",
                    "proposals": f"Kiến nghị của {report.agency.name}.",
                },
            )
            services.report_submit(actor=head, report=AgencyReport.objects.get(pk=report.pk))
            services.report_accept(actor=coordinator, report=AgencyReport.objects.get(pk=report.pk))
    figures = 0
    for definition in IndicatorDefinition.objects.filter(target__plan=plan).prefetch_related("components"):
        series = list(definition.components.all()) if definition.is_computed else [definition]
        for position, s in enumerate(series):
            for step, year in enumerate(YEARS):
                value = Decimal(10 + 3 * position) * (Decimal("1.08") ** step)
                if getattr(s, "value_type", "") == "integer" or definition.target.unit == "giải thưởng":
                    value = Decimal(1 + step % 3)
                figure_record(
                    actor=coordinator,
                    indicator=s,
                    year=year,
                    value=value.quantize(Decimal("0.01")) if value % 1 else value,
                    source_note="Số liệu tổng hợp thử nghiệm",
                    explanation="Số liệu thử nghiệm.",
                )
                figures += 1
    return cycle, figures


def timed(cycle, *, charts: bool) -> dict[str, float]:
    from plantrack.consolidation.report.build import build_consolidated

    started, cpu = time.perf_counter(), time.process_time()
    built = build_consolidated(cycle=cycle, charts=charts)
    result = {k: v * 1000 for k, v in built.timings.items()}
    result["wall"] = (time.perf_counter() - started) * 1000
    result["cpu"] = (time.process_time() - cpu) * 1000
    result["docx_kb"] = len(built.docx) / 1024
    result["xlsx_kb"] = len(built.xlsx) / 1024
    return result, built


def line(label: str, t: dict[str, float]) -> str:
    parts = " ".join(f"{k} {t[k]:.0f}" for k in ("imports", "compile", "charts", "docx", "xlsx") if k in t)
    return f"  {label:<40} {t['total']:6.0f} ms, CPU {t['cpu']:5.0f} ms   ({parts})"


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} CPUs"


def child_build() -> None:
    """In a fresh process: import the builder, build once, print the timings as JSON."""
    from plantrack.reporting.models import ReportingCycle

    settings.CONSOLIDATED_CHART_CACHE_DIR = str(WORKDIR / "charts")
    cycle = ReportingCycle.objects.get(pk=int(os.environ["PLANTRACK_BENCH_CYCLE"]))
    started, cpu = time.perf_counter(), time.process_time()
    import plantrack.consolidation.report.build  # noqa: F401  (python-docx, openpyxl, lxml)

    imports, imports_cpu = time.perf_counter() - started, time.process_time() - cpu
    before = report_charts.draw_count
    t, _built = timed(cycle, charts=True)
    t["imports"] = imports * 1000
    t["total"] += t["imports"]
    t["cpu"] += imports_cpu * 1000
    t["draws"] = report_charts.draw_count - before
    print(json.dumps(t))


def cold_build(cycle) -> dict[str, float]:
    environ = dict(os.environ, PLANTRACK_BENCH_CHILD="1", PLANTRACK_BENCH_CYCLE=str(cycle.pk))
    result = subprocess.run(  # noqa: S603 (this very script, with our own interpreter)
        [sys.executable, __file__], env=environ, capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def change_one_figure(cycle) -> tuple[float, int]:
    """Correct the 2025 figure of the first direct indicator through the service, with charts prepared inline
    after the commit; returns (ms spent, charts drawn)."""
    from django.db import transaction

    definition = (
        IndicatorDefinition.objects.filter(target__plan=cycle.plan, formula="")
        .order_by("target__order")
        .first()
    )
    coordinator = get_user_model().objects.get(username="bench-dieuphoi")
    settings.CONSOLIDATED_CHART_PREPARE = "inline"
    before = report_charts.draw_count
    started = time.perf_counter()
    with transaction.atomic():
        figure = figure_record(
            actor=coordinator,
            indicator=definition,
            year=2025,
            value=Decimal("17.5"),
            source_note="Số liệu điều chỉnh",
            explanation="Điều chỉnh theo số liệu thống kê chính thức.",
        )
    elapsed = (time.perf_counter() - started) * 1000
    settings.CONSOLIDATED_CHART_PREPARE = "off"
    assert figure.value == Decimal("17.5")
    return elapsed, report_charts.draw_count - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the last DOCX and XLSX into this directory")
    args = parser.parse_args()
    settings.CONSOLIDATED_CHART_CACHE_DIR = str(WORKDIR / "charts")

    started = time.perf_counter()
    cycle, figures = make_world(args.agencies)
    setup_s = time.perf_counter() - started
    accepted = AgencyReport.objects.filter(cycle=cycle, state="accepted").count()
    print(
        f"consolidated report of 386/KH-UBND, 2025: {accepted} accepted reports, {figures} figures "
        f"({YEARS.start}–{YEARS.stop - 1}); setup {setup_s:.0f} s"
    )
    print(f"  before: {load()}")

    started, cpu = time.perf_counter(), time.process_time()
    drawn = report_charts.charts_prepare(plan_id=cycle.plan_id)
    print(
        f"  {'prepare every chart (empty cache)':<40} {(time.perf_counter() - started) * 1000:6.0f} ms, "
        f"CPU {(time.process_time() - cpu) * 1000:5.0f} ms   ({drawn} charts, matplotlib imported)"
    )
    change_ms, redrawn = change_one_figure(cycle)
    print(f"  {'one figure changed, charts prepared':<40} {change_ms:6.0f} ms   ({redrawn} chart redrawn)")

    cold = cold_build(cycle)
    print(line(f"COLD: fresh process, {cold['draws']:.0f} charts drawn", cold))
    report_charts.chart_cache_clear()
    empty = cold_build(cycle)
    print(line(f"fresh process, empty cache ({empty['draws']:.0f} drawn)", empty))
    report_charts.charts_prepare(plan_id=cycle.plan_id)

    first, built = timed(cycle, charts=True)
    warm = [timed(cycle, charts=True)[0] for _ in range(max(1, args.runs))]
    plain = [timed(cycle, charts=False)[0] for _ in range(max(1, args.runs))]
    median_warm = sorted(warm, key=lambda t: t["total"])[len(warm) // 2]
    median_plain = sorted(plain, key=lambda t: t["total"])[len(plain) // 2]
    print(line(f"warm, median of {len(warm)}", median_warm))
    print(line("warm, best", min(warm, key=lambda t: t["total"])))
    print(line(f"no charts, median of {len(plain)}", median_plain))
    print(f"  files: DOCX {first['docx_kb']:.0f} KB, XLSX {first['xlsx_kb']:.0f} KB")
    print(f"  after: {load()}")
    verdict = "ok" if cold["total"] <= GOAL_MS else "MISSED"
    print(
        f"  goal ≤ {GOAL_MS:.0f} ms (cold build, first after a figure change): {verdict} — cold {cold['total']:.0f} ms "
        f"(CPU {cold['cpu']:.0f} ms), warm median {median_warm['total']:.0f} ms"
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / built.docx_name).write_bytes(built.docx)
        (args.keep / built.xlsx_name).write_bytes(built.xlsx)
        print(f"  written to {args.keep}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__" and CHILD:
    child_build()
elif __name__ == "__main__":
    try:
        code = main()
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(WORKDIR, ignore_errors=True)  # the throwaway database and chart cache
    sys.exit(code)
