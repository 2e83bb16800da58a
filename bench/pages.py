"""Measure the main pages against a minimal reference page on the same server stack (issue 17).

    PLANTRACK_ENV=dev .venv/bin/python bench/scale.py --fraction 0.02     # once: the data and the personas
    PLANTRACK_ENV=dev .venv/bin/python bench/pages.py [--quick] [--workers 2] [--clients 1,16] [--no-bare]

Starts gunicorn on 127.0.0.1 (``--workers`` sync workers, ``DEBUG`` off, ``DB_CONN_MAX_AGE`` 60 as in
docs/deploy.md) with ``bench.refapp.settings``: the product's settings plus one URL, ``/bench-reference/``, a view
that renders 50 rows from one query in a small template, behind the product's whole middleware stack. Unless
``--no-bare``, a second gunicorn serves the same view from a bare Django (no product app, two middleware:
``bench.refapp.bare_settings``), which shows what the product's fixed per-request cost is.

Signs the personas of ``bench/scale.py`` in, checks every page answers 200 for its persona, then, at each
concurrency of ``--clients``, runs ``--rounds`` interleaved rounds: page, reference, bare reference, next page…
Each burst lasts ``--seconds`` (every client finishes the request it started) with that many clients in threads,
each with its own connection. A ratio is the page's throughput over the reference burst that follows it in the
same round, so a machine that slows down between rounds moves both. Prints per concurrency: page, throughput,
ratio to the reference (median and min–max over rounds), ratio to the bare reference, latency p50/p95/p99
(all requests of all rounds), response size, errors; then the RSS of every worker (from /proc).

Everything is bounded: bursts by time, the whole run by ``--max-minutes`` (rounds not started by then are
skipped and the table says how many ran), requests by a 120 s timeout. The servers are stopped at the end.
"""

import argparse
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEFAULT_URL, PERSONA_PASSWORD  # noqa: E402

HOST = "127.0.0.1"
GUNICORN = Path(sys.executable).with_name("gunicorn")
REQUEST_TIMEOUT = 120


@dataclass
class Page:
    name: str
    persona: str
    path: str
    server: str = "app"  # "app" or "bare"
    size: int = 0
    latencies: dict[int, list[float]] = field(default_factory=dict)  # clients -> seconds
    rates: dict[int, list[float]] = field(default_factory=dict)  # clients -> req/s per round
    ratios: dict[int, list[float]] = field(default_factory=dict)
    bare_ratios: dict[int, list[float]] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)


# --- what to measure ------------------------------------------------------------------------------------------


def find_pages(database_url: str) -> list[Page]:
    """The pages of the personas bench/scale.py created, found in its database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("PLANTRACK_ENV", "dev")
    os.environ["DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.refapp.settings"
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from plantrack.accounts.models import User
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport, CycleState, ReportingCycle

    try:
        coordinator = User.objects.get(username="bench-coordinator")
        reporter = User.objects.get(username="bench-reporter")
    except User.DoesNotExist:
        raise SystemExit("No bench personas in this database: run bench/scale.py first.") from None
    plan = Plan.objects.filter(coordinator_agency=coordinator.agency_id).order_by("pk").first()
    cycle = ReportingCycle.objects.get(plan=plan, state=CycleState.OPEN)
    report = AgencyReport.objects.get(cycle=cycle, agency=reporter.agency_id)
    pages = [
        Page("home", "bench-coordinator", reverse("home")),
        Page("coordinator dashboard", "bench-coordinator", reverse("monitoring:dashboard", args=[cycle.pk])),
        Page("plan page", "bench-coordinator", reverse("plans:detail", args=[plan.pk])),
        Page("report form", "bench-reporter", reverse("reporting:report_edit", args=[report.pk])),
        Page("assignment matrix", "bench-coordinator", reverse("plans:matrix", args=[plan.pk])),
        Page("scorecard", "bench-coordinator", reverse("indicators:scorecard", args=[plan.pk])),
        Page("agency page", "bench-coordinator", reverse("orgs:detail", args=[reporter.agency_id])),
        Page("/api/v1/reports/", "bench-coordinator", reverse("api:report-list")),
        Page("/thong-bao/", "bench-reporter", reverse("notifications:list")),
        Page("/api/v1/plans/", "bench-viewer", reverse("api:plan-list")),
    ]
    connection.close()
    return pages


# --- servers --------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, *, name: str, settings: str, port: int, workers: int, env: dict, logdir: Path) -> None:
        self.name, self.port = name, port
        self.log = (logdir / f"gunicorn-{name}.log").open("w")
        self.proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [
                str(GUNICORN),
                "plantrack.wsgi:application",
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--chdir",
                str(ROOT),
                "--timeout",
                str(REQUEST_TIMEOUT),
                "--graceful-timeout",
                "5",
            ],
            env={**env, "DJANGO_SETTINGS_MODULE": settings},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn ({self.name}) stopped; see {self.log.name}")
            try:
                status, _, _ = get(self.port, path, cookie="")
                if status in (200, 302):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"gunicorn ({self.name}) did not answer within {timeout:.0f} s; see {self.log.name}")

    def worker_rss_mb(self) -> list[float]:
        rss = []
        for pid in children(self.proc.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if match:
                rss.append(int(match.group(1)) / 1024)
        return sorted(rss)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # our own session only (start_new_session)
                self.proc.wait(timeout=5)
        self.log.close()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may contain spaces and parentheses: the fields after the last ")" are fixed.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


# --- HTTP -----------------------------------------------------------------------------------------------------


def get(port: int, path: str, *, cookie: str, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "vi"} if cookie else {})
        response = conn.getresponse()
        body = response.read()
        return response.status, response, body
    finally:
        if own:
            conn.close()


def login(port: int, username: str) -> str:
    """Sign in through the login form; returns the Cookie header of the session."""
    status, response, body = get(port, "/dang-nhap/", cookie="")
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in jar:
        raise SystemExit(f"Login page answered {status} without a CSRF token.")
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    form = urlencode(
        {"username": username, "password": PERSONA_PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
    )
    conn.request(
        "POST",
        "/dang-nhap/",
        body=form,
        headers={
            "Cookie": f"csrftoken={jar['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/dang-nhap/",
        },
    )
    response = conn.getresponse()
    response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"Could not sign {username} in (HTTP {response.status}).")
    return "; ".join(f"{k}={jar[k].value}" for k in ("csrftoken", "sessionid"))


@dataclass
class Burst:
    rate: float
    latencies: list[float]
    errors: int


def burst(port: int, path: str, cookie: str, *, clients: int, seconds: float) -> Burst:
    """``clients`` threads request ``path`` until ``seconds`` have passed; each finishes its request in flight."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        mine, failed = [], 0
        while True:
            t0 = time.perf_counter()
            if t0 >= deadline and (mine or failed):
                break
            try:
                status, _, _ = get(port, path, cookie=cookie, conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - t0)
            else:
                failed += 1
                if failed > 50:
                    break
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 2 * REQUEST_TIMEOUT)
    elapsed = time.perf_counter() - start
    return Burst(rate=len(latencies) / elapsed, latencies=latencies, errors=errors[0])


# --- report ---------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def spread(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{100 * statistics.median(values):5.1f} % ({100 * min(values):.1f}–{100 * max(values):.1f})"


def print_table(pages: list[Page], references: list[Page], clients: int, rounds_done: int) -> None:
    print(f"\n### {clients} concurrent client(s), {rounds_done} round(s)\n")
    head = (
        "| page | req/s | ratio to reference (median, min–max) | ratio to bare Django | p50 ms | p95 ms | p99 ms "
        "| KB | errors |"
    )
    print(head)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in [*pages, *references]:
        lat = page.latencies.get(clients, [])
        rates = page.rates.get(clients, [])
        print(
            f"| {page.name} | {statistics.median(rates) if rates else float('nan'):.1f} "
            f"| {spread(page.ratios.get(clients, [])) if page in pages else '—'} "
            f"| {spread(page.bare_ratios.get(clients, [])) if page in pages else '—'} "
            f"| {1000 * percentile(lat, 50):.0f} | {1000 * percentile(lat, 95):.0f} | {1000 * percentile(lat, 99):.0f} "
            f"| {page.size / 1024:.0f} | {page.errors.get(clients, 0)} |"
        )


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when the output goes to a file
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8917, help="the bare reference server uses the next port")
    parser.add_argument("--clients", default="1,16", help="comma-separated concurrency levels")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5, --quick 3)")
    parser.add_argument("--seconds", type=float, help="length of one burst (default 3, --quick 1)")
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1-second bursts")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Django reference server")
    parser.add_argument("--only", default="", help="comma-separated page names to measure (default: all)")
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--max-minutes", type=float, default=30.0)
    args = parser.parse_args()
    args.rounds = args.rounds or (3 if args.quick else 5)
    args.seconds = args.seconds or (1.0 if args.quick else 3.0)
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    if not all(1 <= c <= 64 for c in levels):
        raise SystemExit("--clients: between 1 and 64.")

    pages = find_pages(args.database_url)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",")}
        pages = [p for p in pages if p.name in wanted]
    reference = Page("reference (same stack)", "bench-coordinator", "/bench-reference/")
    bare = Page("reference (bare Django)", "", "/bench-reference/", server="bare")
    references = [reference] + ([] if args.no_bare else [bare])

    workdir = Path(tempfile.mkdtemp(prefix="plantrack-bench-pages-"))
    env = {
        **os.environ,
        "PLANTRACK_ENV": "dev",
        "DEBUG": "0",
        "DATABASE_URL": args.database_url,
        "DB_CONN_MAX_AGE": str(args.conn_max_age),
        "PLANTRACK_DATA_DIR": str(workdir),
        "PYTHONPATH": str(ROOT),
    }
    servers = {
        "app": Server(
            name="app",
            settings="bench.refapp.settings",
            port=args.port,
            workers=args.workers,
            env=env,
            logdir=workdir,
        )
    }
    if not args.no_bare:
        servers["bare"] = Server(
            name="bare",
            settings="bench.refapp.bare_settings",
            port=args.port + 1,
            workers=args.workers,
            env=env,
            logdir=workdir,
        )
    started = time.monotonic()
    try:
        servers["app"].wait_ready("/dang-nhap/")
        if "bare" in servers:
            servers["bare"].wait_ready("/bench-reference/")
        cookies = {"": ""}
        for persona in {p.persona for p in [*pages, *references]} - {""}:
            cookies[persona] = login(args.port, persona)
        port_of = {"app": args.port, "bare": args.port + 1}

        print(
            f"gunicorn ×{args.workers} on {HOST}; {os.cpu_count()} CPU(s); load average {os.getloadavg()[0]:.1f}"
        )
        print(f"{'page':<26} {'persona':<18} {'status':>6} {'KB':>6}  path")
        for page in [*pages, *references]:
            status, _, body = get(port_of[page.server], page.path, cookie=cookies[page.persona])
            page.size = len(body)
            print(
                f"{page.name:<26} {page.persona or '—':<18} {status:>6} {len(body) / 1024:>6.0f}  {page.path}"
            )
            if status != 200:
                raise SystemExit(f"{page.name} answered {status}; see {servers[page.server].log.name}")
        # Warm-up: every worker loads its templates and code paths before anything counts.
        for page in [*pages, *references]:
            burst(
                port_of[page.server], page.path, cookies[page.persona], clients=args.workers * 2, seconds=0.3
            )

        rss = {}
        for clients in levels:
            rounds_done = 0
            for _ in range(args.rounds):
                if time.monotonic() - started > args.max_minutes * 60:
                    print(f"(--max-minutes {args.max_minutes} reached: rounds stopped)")
                    break
                for page in pages:
                    results = {}
                    for p in [page, *references]:
                        results[p.name] = b = burst(
                            port_of[p.server],
                            p.path,
                            cookies[p.persona],
                            clients=clients,
                            seconds=args.seconds,
                        )
                        p.latencies.setdefault(clients, []).extend(b.latencies)
                        p.rates.setdefault(clients, []).append(b.rate)
                        p.errors[clients] = p.errors.get(clients, 0) + b.errors
                    page.ratios.setdefault(clients, []).append(
                        results[page.name].rate / max(results[reference.name].rate, 1e-9)
                    )
                    if not args.no_bare:
                        page.bare_ratios.setdefault(clients, []).append(
                            results[page.name].rate / max(results[bare.name].rate, 1e-9)
                        )
                rounds_done += 1
            print_table(pages, references, clients, rounds_done)
            rss[clients] = {name: s.worker_rss_mb() for name, s in servers.items()}
        print("\nWorker RSS after each concurrency level (MB):")
        for clients, by_server in rss.items():
            parts = [f"{name}: {', '.join(f'{mb:.0f}' for mb in mbs)}" for name, mbs in by_server.items()]
            print(f"  {clients} client(s): " + "; ".join(parts))
        print(
            f"\nTotal {time.monotonic() - started:.0f} s; load average at the end {os.getloadavg()[0]:.1f} "
            f"(other processes share the CPUs: figures are indicative)."
        )
    finally:
        for server in servers.values():
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
