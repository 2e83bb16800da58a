"""16 clients saving report drafts at the same time, on SQLite and on PostgreSQL. Prints figures; asserts nothing
about time (the point is: no error, no lost update).

    .venv/bin/python bench/concurrent_saves.py                     # both databases
    .venv/bin/python bench/concurrent_saves.py --db sqlite --saves 50
    .venv/bin/python bench/concurrent_saves.py --db postgres --pg-url postgres://postgres@127.0.0.1:5432/plantrack_bench

Each database is set up fresh in a child process (migrate, the embedded default without demo data, the 2025 cycle of
plan 386/KH-UBND). Two scenarios go through the whole web stack (Django's test client: middleware, form, service,
optimistic lock), one process per client (as gunicorn workers would be), each with its own database connection:

- own:    16 agencies, one clerk each, each saving its own report ``--saves`` times;
- shared: 16 clerks of ONE agency saving the same report at once. A save built on a version someone else already
          replaced must be refused with 409 (stale), never lost: the report's final version must equal 1 + the
          number of saves that succeeded.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parent(args) -> int:
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    failed = False
    for db in dbs:
        env = {**os.environ, "PLANTRACK_ENV": "dev", "DJANGO_SETTINGS_MODULE": "plantrack.settings"}
        tmp = tempfile.mkdtemp(prefix=f"plantrack-bench-{db}-")
        env["PLANTRACK_DATA_DIR"] = tmp
        env.pop("DATABASE_URL", None)
        if db == "postgres":
            env["DATABASE_URL"] = args.pg_url
            _recreate_pg(args.pg_url)
        cmd = [
            sys.executable,
            __file__,
            "--child",
            "--clients",
            str(args.clients),
            "--saves",
            str(args.saves),
        ]
        print(
            f"== {db}: setting up a fresh database ({'PostgreSQL ' + args.pg_url if db == 'postgres' else tmp})",
            flush=True,
        )
        result = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603 - our own script
        if result.returncode != 0:
            print(result.stdout[-4000:], result.stderr[-4000:])
            failed = True
            continue
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        _print(db, figures)
        failed |= any(f["errors"] for f in figures.values()) or not figures["shared"]["no_lost_update"]
    return 1 if failed else 0


def _recreate_pg(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _print(db: str, figures: dict) -> None:
    for name, f in figures.items():
        lat = f["latency_ms"]
        print(
            f"   {name:<6} clients={f['clients']:>2} attempts={f['attempts']:>4} saved={f['saved']:>4} "
            f"stale(409)={f['stale']:>4} errors={f['errors']:>2}  {f['seconds']:6.2f} s  "
            f"{f['saved'] / f['seconds']:7.1f} saves/s  latency p50={lat['p50']:.0f} ms p95={lat['p95']:.0f} ms "
            f"max={lat['max']:.0f} ms"
            + (
                f"  final version={f['final_version']} (start + saved: "
                f"{'OK, no lost update' if f['no_lost_update'] else 'LOST UPDATE'})"
                if name == "shared"
                else ""
            )
        )
        for e in f["error_samples"]:
            print("      error:", e)


# --- child: one database ------------------------------------------------------------------------------------


def child(args) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_default", "--no-demo", verbosity=0, stdout=io.StringIO())

    from django.contrib.auth import get_user_model

    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport
    from plantrack.reporting.services import cycle_open

    User = get_user_model()
    plan = Plan.objects.by_code("386/KH-UBND").get()
    coordinator = User.objects.create(
        username="bench-dieuphoi", role="coordinator", agency=plan.coordinator_agency
    )
    cycle = cycle_open(actor=coordinator, plan=plan, year=2025)
    reports = list(AgencyReport.objects.filter(cycle=cycle).select_related("agency").order_by("agency__name"))
    if len(reports) <= args.clients:
        raise SystemExit(f"only {len(reports)} agencies in the cycle")
    own = []
    for i, report in enumerate(reports[: args.clients]):
        own.append(
            (User.objects.create(username=f"bench-own-{i}", role="reporter", agency=report.agency), report.pk)
        )
    shared_report = reports[args.clients]  # not one of the "own" reports
    shared = [
        (
            User.objects.create(username=f"bench-shared-{i}", role="reporter", agency=shared_report.agency),
            shared_report.pk,
        )
        for i in range(args.clients)
    ]
    shared_start = AgencyReport.objects.get(pk=shared_report.pk).version
    figures = {"own": run(own, args.saves), "shared": run(shared, args.saves)}
    shared_final = AgencyReport.objects.get(pk=shared_report.pk).version
    figures["shared"]["final_version"] = shared_final
    figures["shared"]["no_lost_update"] = shared_final == shared_start + figures["shared"]["saved"]
    print(json.dumps(figures))


def _client_process(n: int, user_pk: int, report_pk: int, saves: int, gate, results) -> None:
    """One client: its own process (like one gunicorn worker serving one person) and its own connection."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from plantrack.reporting.models import AgencyReport

    connection.close()  # never reuse the parent's connection after fork
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_pk))
    entries = list(AgencyReport.objects.get(pk=report_pk).entries.values_list("pk", flat=True))
    rows = []
    gate.wait()
    for i in range(saves):
        version = AgencyReport.objects.values_list("version", flat=True).get(pk=report_pk)
        data = {"version": version, "main_results": f"client {n} save {i}", "proposals": "x" * 200}
        for e in entries:
            data[f"e{e}-status"] = "in_progress"
            data[f"e{e}-results"] = f"Kết quả của client {n}, lần {i}. " * 5
        t0 = time.perf_counter()
        try:
            status, error = client.post(f"/bao-cao/{report_pk}/sua/", data).status_code, None
            if status not in (302, 409):
                error = f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            status, error = None, f"{type(exc).__name__}: {exc}"
        rows.append((status, (time.perf_counter() - t0) * 1000, error))
    connection.close()
    results.put(rows)


def run(clients: list, saves: int) -> dict:
    import multiprocessing

    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    gate, results = ctx.Barrier(len(clients) + 1), ctx.Queue()
    procs = [
        ctx.Process(target=_client_process, args=(n, user.pk, pk, saves, gate, results))
        for n, (user, pk) in enumerate(clients)
    ]
    for p in procs:
        p.start()
    gate.wait()  # every client is signed in and ready: start the clock
    t0 = time.perf_counter()
    rows = [row for _ in procs for row in results.get()]
    seconds = time.perf_counter() - t0
    for p in procs:
        p.join()
    lat = sorted(r[1] for r in rows)
    errors = [r[2] for r in rows if r[2]]
    return {
        "clients": len(clients),
        "attempts": len(rows),
        "saved": sum(r[0] == 302 for r in rows),
        "stale": sum(r[0] == 409 for r in rows),
        "errors": len(errors),
        "error_samples": errors[:5],
        "seconds": seconds,
        "latency_ms": {
            "p50": statistics.median(lat),
            "p95": lat[max(0, int(len(lat) * 0.95) - 1)],
            "max": lat[-1],
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--saves", type=int, default=20, help="saves per client")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/plantrack_reporting_bench"
        ),
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
