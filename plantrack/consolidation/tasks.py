"""Tasks of the consolidated report, run by the worker (``plantrack.core.queue``)."""

from .services import build_execute


def consolidated_build(run_id: int) -> str:
    """Build the run ``run_id``. Idempotent: a finished or failed run is left alone, and a run that a dead
    worker left "running" is taken over (the queue hands a task out again only after its worker's lease ran
    out). Returns the run's state, or ``"skipped"``, for the task list in the admin."""
    run = build_execute(run_id=run_id, takeover=True)
    return run.state if run is not None else "skipped"
