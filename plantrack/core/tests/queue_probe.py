"""Tasks used by the queue tests only (``test_queue_worker.py``): they leave marks in a folder."""

import time
from pathlib import Path

from plantrack.core import request_id


def stall_first_attempt(folder: str) -> str:
    """The first attempt marks ``started`` and hangs (until its worker is killed); the next one marks ``done``
    with the request id it ran under."""
    marks = Path(folder)
    if not (marks / "started").exists():
        (marks / "started").write_text("1")
        time.sleep(60)
    (marks / "done").write_text(request_id.current())
    return "done"
