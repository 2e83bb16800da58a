"""Time the pages of bench/pages.py in-process (Django's test Client, no server, no load generator), profile one,
and measure what each middleware costs per request. For iterating; bench/pages.py gives the figures.

    PLANTRACK_ENV=dev .venv/bin/python bench/profile_pages.py [--runs 10] [--only "home,coordinator dashboard"]
    PLANTRACK_ENV=dev .venv/bin/python bench/profile_pages.py --profile "coordinator dashboard" [--top 40]
    PLANTRACK_ENV=dev .venv/bin/python bench/profile_pages.py --middleware [--runs 200]

The database is the one bench/scale.py made (``--database-url``). Times are medians of ``--runs`` requests after
one warm-up request, with the product's settings, ``DEBUG`` off and a persistent connection, as under gunicorn.

``--middleware`` puts a marker around every middleware of ``MIDDLEWARE`` and requests the reference page
(/bench-reference/, bench.refapp): a middleware's own cost is the time between the markers on either side of it,
on the way in and on the way out; "view" is the rest.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import DEFAULT_URL  # noqa: E402

MARKS: list[tuple[int, str, float]] = []  # (index, "in"/"out", perf_counter)


class Marker:
    """Records the time a request passes it on the way in and on the way out."""

    index = 0

    def __init__(self, get_response):
        self.get_response = get_response
        self.index = type(self).index

    def __call__(self, request):
        MARKS.append((self.index, "in", time.perf_counter()))
        response = self.get_response(request)
        MARKS.append((self.index, "out", time.perf_counter()))
        return response


def marker_class(i: int) -> type:
    return type(f"Marker{i}", (Marker,), {"index": i})


def client_for(username: str, password_login: bool = False):
    from django.test import Client

    from plantrack.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def timed(client, path: str, runs: int) -> tuple[float, int, int]:
    response = client.get(path)
    status, size = response.status_code, len(response.content)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, status, size


def middleware_table(runs: int) -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    from plantrack.accounts.models import User

    names = list(settings.MIDDLEWARE)
    module = sys.modules[__name__]
    stack = []
    for i, name in enumerate(names):
        setattr(module, f"Marker{i}", marker_class(i))
        stack += [f"{__name__}.Marker{i}", name]
    setattr(module, f"Marker{len(names)}", marker_class(len(names)))
    stack.append(f"{__name__}.Marker{len(names)}")
    with override_settings(MIDDLEWARE=stack):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(username="bench-coordinator"))
        assert client.get("/bench-reference/").status_code == 200
        costs: dict[int, list[float]] = {i: [] for i in range(len(names) + 1)}
        totals = []
        for _ in range(runs):
            MARKS.clear()
            client.get("/bench-reference/")
            t = {(i, d): v for i, d, v in MARKS}
            for i in range(len(names)):
                inward = t[i + 1, "in"] - t[i, "in"]
                outward = t[i, "out"] - t[i + 1, "out"]
                costs[i].append(inward + outward)
            costs[len(names)].append(t[len(names), "out"] - t[len(names), "in"])
            totals.append(t[0, "out"] - t[0, "in"])
    print(f"\nMiddleware cost per request on /bench-reference/ (median of {runs}, µs)\n")
    print("| middleware | µs | share |")
    print("| --- | ---: | ---: |")
    total = statistics.median(totals) * 1e6
    for i, name in enumerate([*names, "view (reference page)"]):
        us = statistics.median(costs[i]) * 1e6
        print(f"| {name} | {us:,.0f} | {100 * us / total:.0f} % |")
    print(f"| **whole stack + view** | {total:,.0f} | 100 % |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument("--profile", default="", help="a page name: print its cProfile (cumulative)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--middleware", action="store_true", help="per-middleware cost on the reference page")
    args = parser.parse_args()
    os.environ["DB_CONN_MAX_AGE"] = "60"
    from pages import find_pages

    pages = find_pages(args.database_url)
    if args.middleware:
        middleware_table(args.runs)
        return
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    clients = {}
    if args.profile:
        page = next(p for p in pages if p.name == args.profile)
        client = client_for(page.persona)
        client.get(page.path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(page.path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(args.top)
        return
    print("| page | median ms | status | KB |")
    print("| --- | ---: | ---: | ---: |")
    for page in pages:
        if page.server != "app" or (only and page.name not in only):
            continue
        client = clients.setdefault(page.persona, client_for(page.persona))
        ms, status, size = timed(client, page.path, args.runs)
        print(f"| {page.name} | {ms:.1f} | {status} | {size // 1024} |", flush=True)
    client = clients.setdefault("bench-coordinator", client_for("bench-coordinator"))
    ms, status, size = timed(client, "/bench-reference/", args.runs)
    print(f"| reference (same stack) | {ms:.1f} | {status} | {size // 1024} |")


if __name__ == "__main__":
    main()
