"""Where a build runs once its run is committed.

``CONSOLIDATION_BUILD_MODE`` (a setting, default ``"queue"``):

- ``"queue"``: the build is a task on the database queue (``plantrack.core.queue``), queued in the transaction
  that creates the run, so a run and its task are committed together or not at all. A worker process
  (``manage.py qcluster``, started by ``make run``) runs it while the progress page polls the run. If the worker
  dies mid-build, the queue hands the task out again when its lease runs out and the next attempt takes the run
  over (``services.build_execute(takeover=True)``); a run still unfinished after ``models.STALE_AFTER`` is shown
  as failed and can be started again. Any app node may queue a build and any worker may run it.
- ``"inline"``: build in the request, after the commit (tests).
"""

from django.conf import settings
from django.db import transaction

from plantrack.core import queue

BUILD_TASK = "plantrack.consolidation.tasks.consolidated_build"


def start(run_id: int) -> None:
    """Have the run built; call inside the transaction that created it."""
    if settings.CONSOLIDATION_BUILD_MODE == "inline":
        # local import: services.py imports this module to start builds
        from .services import build_execute

        transaction.on_commit(lambda: build_execute(run_id=run_id))
        return
    queue.enqueue(BUILD_TASK, run_id, name=f"consolidated-build-{run_id}", group="consolidated-build")
