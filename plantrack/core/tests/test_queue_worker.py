"""The task queue with real worker processes: a task whose worker is killed mid-task is run again and finishes.

Subprocesses share an SQLite file in a temporary data folder (only django-q2's tables are migrated: the probe
task touches nothing else). The lease is shortened to a few seconds through the settings' own variables.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

PROBE = "plantrack.core.tests.queue_probe.stall_first_attempt"


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}}
    env.update(
        PLANTRACK_ENV="dev",
        PLANTRACK_DATA_DIR=str(data_dir),
        TASK_TIMEOUT_SECONDS="4",
        TASK_RETRY_SECONDS="6",
        TASK_WORKERS="1",
        DJANGO_SETTINGS_MODULE="plantrack.settings",
    )
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=120,
        **kwargs,
    )


def _cluster(env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed whole, as a machine losing power would be
    )


def _stop(cluster: subprocess.Popen) -> None:
    cluster.send_signal(signal.SIGTERM)  # the cluster stops its own processes
    try:
        cluster.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(cluster.pid, signal.SIGKILL)
        cluster.wait(timeout=10)


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


def test_a_task_whose_worker_is_killed_is_run_again_and_finishes(tmp_path):
    data, marks = tmp_path / "data", tmp_path / "marks"
    data.mkdir()
    marks.mkdir()
    env = _environment(data)
    _manage(env, "migrate", "django_q", "-v0")
    enqueue = (
        "import django; django.setup()\n"
        "from plantrack.core import queue, request_id\n"
        "with request_id.bound('feedc0de' * 4):\n"
        f"    print(queue.enqueue({PROBE!r}, {str(marks)!r}, name='probe'))\n"
    )
    subprocess.run([sys.executable, "-c", enqueue], cwd=settings.BASE_DIR, env=env, check=True, timeout=60)

    log = tmp_path / "cluster.log"
    first = _cluster(env, log)
    try:
        assert _wait_for(marks / "started", 60), log.read_text()
        os.killpg(first.pid, signal.SIGKILL)  # mid-task: no result, no acknowledgement
        first.wait(timeout=10)
        assert not (marks / "done").exists()

        second = _cluster(env, log)
        try:
            # Handed out again once the dead worker's lease (6 s) runs out.
            assert _wait_for(marks / "done", 60), log.read_text()
        finally:
            _stop(second)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)

    # The retry ran under the id of the request that queued the task.
    assert (marks / "done").read_text() == "feedc0de" * 4
    with sqlite3.connect(data / "plantrack.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM django_q_ormq").fetchone() == (0,)  # acknowledged
        assert db.execute("SELECT success FROM django_q_task WHERE name = 'probe'").fetchall() == [(1,)]


@pytest.mark.django_db
def test_a_task_outside_the_project_is_refused():
    from plantrack.core import queue

    with pytest.raises(ValueError, match="Not a Plantrack task"):
        queue.run("os.system", ["true"], "-")
