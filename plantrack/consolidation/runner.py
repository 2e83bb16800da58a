"""Where a build runs once its run is committed.

``CONSOLIDATION_BUILD_MODE`` (a setting, default ``"thread"``):

- ``"thread"``: a daemon thread in the web process builds the files while the progress page polls the run. The
  build takes about a second, so a job queue (and a worker process to deploy and watch) is not worth it; if the
  process dies mid-build, the run is marked failed after ``models.STALE_AFTER`` and can be started again.
- ``"inline"``: build in the request, after the commit (tests; a server that forbids threads).
"""

import threading

from django.conf import settings
from django.db import connections


def start(run_id: int) -> None:
    # local import: services.py imports this module to start builds
    from .services import build_execute

    if settings.CONSOLIDATION_BUILD_MODE == "inline":
        build_execute(run_id=run_id)
        return
    thread = threading.Thread(target=_run, args=(run_id,), name=f"consolidated-build-{run_id}", daemon=True)
    thread.start()


def _run(run_id: int) -> None:
    # local import: services.py imports this module to start builds
    from .services import build_execute

    try:
        build_execute(run_id=run_id)
    finally:
        # The thread opened its own database connection; close it rather than leak it.
        connections.close_all()
