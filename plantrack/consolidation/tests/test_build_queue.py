"""Builds on the task queue: queued with their run, idempotent, and taken over when their worker died.

The worker itself (a killed process whose task is run again) is in ``core/tests/test_queue_worker.py``; here the
build task is called as the worker calls it, with the run in the states a dead worker leaves behind.
"""

import pytest
from django.core.files.storage import default_storage
from django_q.models import OrmQ

from plantrack.consolidation import runner, services, tasks
from plantrack.consolidation.models import BuildRun, BuildState
from plantrack.core import request_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(cycle_2025, settings, django_capture_on_commit_callbacks) -> BuildRun:
    """A run started from the page in "queue" mode, its task waiting for a worker."""
    settings.CONSOLIDATION_BUILD_MODE = "queue"
    with request_id.bound("abc123" * 4), django_capture_on_commit_callbacks(execute=True):
        return services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)


def _dead_worker_claim(run: BuildRun):
    """What a worker killed mid-build leaves: the run claimed and "running", its task not acknowledged."""
    claim = services._claim(run.pk, takeover=False)
    assert claim is not None
    return claim


def test_a_build_is_queued_once_with_its_run_and_the_request_id(queued, cycle_2025, settings):
    again = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)  # double click

    assert again.pk == queued.pk and queued.state == BuildState.QUEUED
    (task,) = [row.task for row in OrmQ.objects.all()]
    assert task["func"] == "plantrack.core.queue.run"
    assert task["args"] == (runner.BUILD_TASK, [queued.pk], "abc123" * 4)
    assert task["name"] == f"consolidated-build-{queued.pk}"


def test_a_refused_build_queues_nothing(cycle_2025, settings):
    settings.CONSOLIDATION_BUILD_MODE = "queue"
    with pytest.raises(services.ConsolidationError):
        services.build_start(actor=cycle_2025.viewer, cycle=cycle_2025.cycle)
    assert not OrmQ.objects.exists()


def test_the_task_builds_a_queued_run(queued):
    assert tasks.consolidated_build(queued.pk) == BuildState.DONE

    queued.refresh_from_db()
    assert queued.state == BuildState.DONE and queued.progress == 100
    assert default_storage.exists(queued.docx.name) and default_storage.exists(queued.xlsx.name)


def test_the_task_run_again_after_it_finished_does_nothing(queued):
    tasks.consolidated_build(queued.pk)
    queued.refresh_from_db()
    files = (queued.docx.name, queued.xlsx.name)

    assert tasks.consolidated_build(queued.pk) == "skipped"
    queued.refresh_from_db()
    assert (queued.docx.name, queued.xlsx.name) == files


def test_a_run_left_running_by_a_dead_worker_is_taken_over_and_finishes(queued):
    _dead_worker_claim(queued)
    queued.refresh_from_db()
    assert queued.state == BuildState.RUNNING

    assert tasks.consolidated_build(queued.pk) == BuildState.DONE  # the queue hands the task out again
    queued.refresh_from_db()
    assert queued.state == BuildState.DONE and queued.error == ""
    assert default_storage.exists(queued.docx.name)


def test_without_takeover_a_running_run_is_left_to_its_worker(queued):
    _dead_worker_claim(queued)

    assert services.build_execute(run_id=queued.pk) is None
    queued.refresh_from_db()
    assert queued.state == BuildState.RUNNING


def test_an_attempt_that_was_taken_over_writes_nothing(queued, monkeypatch):
    """A slow attempt whose lease ran out meanwhile: the takeover's files stay, the slow attempt's are dropped."""
    real_build = services.build_consolidated
    inner = {}

    def slow_then_overtaken(**kwargs):
        if not inner:
            inner["started"] = True
            inner["run"] = services.build_execute(run_id=queued.pk, takeover=True)  # the second attempt
        return real_build(**kwargs)

    monkeypatch.setattr(services, "build_consolidated", slow_then_overtaken)

    assert services.build_execute(run_id=queued.pk) is None  # the first attempt lost its claim
    queued.refresh_from_db()
    winner = inner["run"]
    assert queued.state == BuildState.DONE
    assert (queued.docx.name, queued.xlsx.name) == (winner.docx.name, winner.xlsx.name)
    media = list(_stored(default_storage, "consolidated"))
    assert sorted(media) == sorted([winner.docx.name, winner.xlsx.name])  # the loser's files were deleted


def _stored(storage, folder: str):
    dirs, files = storage.listdir(folder)
    yield from (f"{folder}/{name}" for name in files)
    for sub in dirs:
        yield from _stored(storage, f"{folder}/{sub}")
