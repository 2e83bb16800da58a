"""Tasks of plan import, run by the worker (``plantrack.core.queue``)."""

from .services import plan_import_job_run


def plan_import_read(job_id: int) -> str:
    """Read (OCR) the uploaded document of job ``job_id`` into a draft. Idempotent (see ``plan_import_job_run``);
    returns the job's state, or ``"skipped"``, for the task list in the admin."""
    job = plan_import_job_run(job_id=job_id)
    return job.state if job is not None else "skipped"
