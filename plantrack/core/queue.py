"""The task queue: background work handed to the worker (``manage.py qcluster``), with the request id carried along.

Tasks are queued in the database (django-q2's ORM broker, docs/decisions.md): a worker leases a task for
``TASK_RETRY_SECONDS`` and deletes it when done; a task whose worker died is handed out again when its lease runs
out, up to ``TASK_MAX_ATTEMPTS`` times. So a task may run more than once, and every task must be idempotent:
running it again after a partial run does no harm and finishes the work (see ``consolidation.tasks``).

Queue with :func:`enqueue` inside ``transaction.on_commit``, so the worker never sees a row that is not committed.
"""

import importlib
import logging

from django_q.tasks import async_task

from . import request_id

log = logging.getLogger(__name__)


def enqueue(func: str, *args, name: str, group: str = "") -> str:
    """Queue ``func`` (a dotted path to a module-level function) with ``args``; returns the task id.

    ``name`` shows in the admin ("Tác vụ nền") and the logs, e.g. ``"consolidated-build-12"``.
    """
    task_id = async_task(
        "plantrack.core.queue.run",
        func,
        list(args),
        request_id.current(),
        task_name=name,
        group=group or None,
    )
    log.info("Queued %s (%s) as task %s", name, func, task_id)
    return task_id


def run(func: str, args: list, parent_request_id: str):
    """What the worker executes: ``func(*args)`` logged under the id of the request that queued it."""
    if not func.startswith(
        "plantrack."
    ):  # payloads are signed; this keeps a mistake from running anything else
        raise ValueError(f"Not a Plantrack task: {func!r}")
    with request_id.bound(parent_request_id):
        module_name, _, attribute = func.rpartition(".")
        target = getattr(importlib.import_module(module_name), attribute)
        log.info("Task %s starts", func)
        result = target(*args)
        log.info("Task %s done", func)
        return result
