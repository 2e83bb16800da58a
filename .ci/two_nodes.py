"""The checks of .ci/two_nodes.sh, against two running app nodes, one worker, one database and one Redis.

    python .ci/two_nodes.py http://127.0.0.1:PORT1 http://127.0.0.1:PORT2 WORKER_LOG

Standard library only. Runs manage.py for the reminder job with the caller's environment (the same database).
"""

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

NODE1, NODE2, WORKER_LOG = sys.argv[1], sys.argv[2], Path(sys.argv[3])
ROOT = Path(__file__).resolve().parent.parent
PASSED = []


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


cookies = http.cookiejar.CookieJar()  # one browser: the session cookie goes to both nodes (same host)
browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), NoRedirect)


def fetch(url: str, data: dict | None = None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        response = browser.open(urllib.request.Request(url, data=body), timeout=60)  # noqa: S310 (http://127.0.0.1 only)
    except urllib.error.HTTPError as error:  # 3xx (not followed) and 4xx/5xx
        response = error
    return response.status, dict(response.headers), response.read()


def check(label: str, condition: bool, detail: object = "") -> None:
    if not condition:
        print(f"FAIL {label} {detail}", file=sys.stderr)
        print(f"two nodes: {len(PASSED)} passed, 1 failed")
        sys.exit(1)
    PASSED.append(label)
    print(f"ok   {label}")


def csrf() -> str:
    return next(c.value for c in cookies if c.name == "csrftoken")


def manage(*args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


# --- both nodes up, healthy --------------------------------------------------------------------------------------
for node in (NODE1, NODE2):
    status, answer = None, b""
    for _ in range(120):
        try:
            status, _headers, answer = fetch(f"{node}/healthz")
            if status == 200:
                break
        except OSError:
            pass
        time.sleep(0.5)
    check(f"{node}/healthz answers 200", status == 200, answer)
    check(
        f"{node}/healthz: database, cache, queue ok",
        json.loads(answer) == {"database": "ok", "cache": "ok", "queue": "ok"},
        answer,
    )

# --- sign in on node 1, the session holds on node 2 ----------------------------------------------------------------
fetch(f"{NODE1}/dang-nhap/")
status, headers, _ = fetch(
    f"{NODE1}/dang-nhap/", {"username": "dieuphoi", "password": "Demo@2025", "csrfmiddlewaretoken": csrf()}
)
check("sign in on node 1", status == 302, status)
status, _, page = fetch(f"{NODE2}/bao-cao-tong-hop/")
check("node 2 knows the session of node 1 (sessions in the database)", status == 200, status)
cycle_ids = sorted(set(re.findall(rb"/bao-cao-tong-hop/ky/(\d+)/", page)))
check("a cycle to build the consolidated report of", bool(cycle_ids))

# --- a build started on node 1 is built by the worker and served by node 2 ----------------------------------------
status, headers, _ = fetch(
    f"{NODE1}/bao-cao-tong-hop/ky/{cycle_ids[0].decode()}/tao/", {"csrfmiddlewaretoken": csrf()}
)
location = headers.get("Location", "")
check("node 1 starts a build", status == 302 and "/lan-tao/" in location, (status, location))
request_id = headers.get("X-Request-ID", "")
run_id = re.search(r"/lan-tao/(\d+)/", location).group(1)
state = {}
for _ in range(240):
    status, _, body = fetch(f"{NODE2}/bao-cao-tong-hop/lan-tao/{run_id}/trang-thai/")
    state = json.loads(body) if status == 200 else {}
    if state.get("finished"):
        break
    time.sleep(0.5)
check("node 2 sees the build finished by the worker", state.get("state") == "done", state)
status, headers, body = fetch(NODE2 + state["docx_url"])
check(
    "node 2 serves the DOCX built from node 1's request",
    status == 200 and body[:2] == b"PK" and "attachment" in headers.get("Content-Disposition", ""),
    (status, headers.get("Content-Type")),
)
status, _, body = fetch(NODE1 + state["xlsx_url"])
check("node 1 serves the XLSX too", status == 200 and body[:2] == b"PK", status)
worker_lines = [json.loads(line) for line in WORKER_LOG.read_text().splitlines() if line.startswith("{")]
check(
    "the worker's log lines of the build carry the request id of node 1's request",
    any(line.get("request_id") == request_id and "done" in line.get("message", "") for line in worker_lines),
    request_id,
)

# --- the reminder job run on both nodes at once sends each reminder once ------------------------------------------
expected, today = 0, ""
for candidate in ("2025-12-04", "2025-11-28", "2025-12-06", "2025-11-05"):
    dry = manage("send_reminders", "--dry-run", "--today", candidate)
    out = dry.communicate(timeout=300)[0]
    expected = out.count("  would send: ")
    if expected:
        today = candidate
        break
check("the reminder job has reminders to send", expected > 0, out)
runs = [manage("send_reminders", "--today", today) for _node in (1, 2)]
outputs = [run.communicate(timeout=300)[0] for run in runs]
check("both reminder runs finished", all(run.returncode == 0 for run in runs), outputs)
sent = sum(out.count("  sent: ") for out in outputs)
check(f"each of the {expected} reminders was sent once across both nodes", sent == expected, (sent, expected))
# Report reminders are logged one row per message (ReminderLog); task-deadline reminders (the "task deadlines"
# sections) one row per task, agency, step and recipient (TaskReminderLog): one message may cover several tasks.
task_messages, in_tasks = 0, False
for line in out.splitlines():
    if not line.startswith(" "):
        in_tasks = "task deadlines" in line
    elif in_tasks and line.startswith("  would send: "):
        task_messages += 1
count = manage(
    "shell",
    "-c",
    "from plantrack.monitoring.models import ReminderLog, TaskReminderLog; "
    "print(ReminderLog.objects.count(), TaskReminderLog.objects.count())",
)
report_rows, task_rows = map(int, count.communicate(timeout=120)[0].strip().splitlines()[-1].split())
check(
    "the reminder log holds one row per report reminder",
    report_rows == expected - task_messages,
    (report_rows, expected - task_messages),
)
check(
    "the task reminder log covers every task-deadline message",
    task_rows >= task_messages and (task_rows == 0) == (task_messages == 0),
    (task_rows, task_messages),
)

print(f"two nodes: {len(PASSED)} passed, 0 failed")
