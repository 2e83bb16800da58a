"""Writes of plan import: create a draft from an uploaded document, save the reviewer's edits, publish, discard.

Publishing is the only step that creates a plan, through ``plantrack.plans.services.plan_publish`` (all or nothing;
the same rulebook as the review page)."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from plantrack.core import queue
from plantrack.plans.models import Plan
from plantrack.plans.services import PlanPublishError, plan_publish
from plantrack.plans.signals import plan_measurement_proposed

from . import PlanImportError, Problem, Registry, import_document
from .models import DraftStatus, JobState, PlanImportDraft, PlanImportJob
from .permissions import require_plan_importer
from .readers import needs_ocr
from .review import apply_form, for_publish

logger = logging.getLogger(__name__)
READ_TASK = "plantrack.plans.importing.tasks.plan_import_read"


class DraftPublishError(PlanPublishError):
    """The draft cannot be published (yet); ``problems``/``messages`` list every reason, in Vietnamese."""


def _refused(message: str) -> DraftPublishError:
    return DraftPublishError([Problem("", message, code="draft_published")])


@transaction.atomic
def plan_import_draft_create(*, actor, data: bytes, filename: str) -> PlanImportDraft:
    """Read ``data`` and keep what was extracted as a draft. Raises PlanImportError with a clear message."""
    require_plan_importer(actor)
    result = import_document(data, filename, registry=Registry.from_db())
    return _draft_from(actor, result, filename)


def _draft_from(actor, result, filename: str) -> PlanImportDraft:
    plan = result.plan
    # Names matched approximately stay marked on their assignment until the reviewer changes it.
    for problem in result.problems:
        parts = problem.path.split(".")
        if not problem.is_error and len(parts) == 4 and parts[0] == "tasks" and parts[2] == "assignments":
            plan["tasks"][int(parts[1])]["assignments"][int(parts[3])]["_note"] = problem.message
    return PlanImportDraft.objects.create(
        created_by=actor,
        filename=filename[:255],
        file_kind=result.source.kind,
        source_lines=result.source.lines,
        data=plan,
        import_problems=[p.as_dict() for p in result.problems],
        locations=result.locations,
    )


@transaction.atomic
def plan_import_start(*, actor, data: bytes, filename: str) -> PlanImportDraft | PlanImportJob:
    """Read an uploaded document: in the request when it has text (returns the draft; PlanImportError as
    ``plan_import_draft_create``), on the task queue when it needs OCR (returns the job, whose state the upload page
    shows; ``PLAN_IMPORT_OCR_MODE="inline"`` reads it in this request instead)."""
    require_plan_importer(actor)
    if not needs_ocr(data):
        return plan_import_draft_create(actor=actor, data=data, filename=filename)
    job = PlanImportJob.objects.create(created_by=actor, filename=filename[:255], content=data)
    if settings.PLAN_IMPORT_OCR_MODE == "inline":
        plan_import_job_run(job_id=job.pk)
    else:
        queue.enqueue(READ_TASK, job.pk, name=f"plan-import-{job.pk}", group="plan-import")
    return job


def plan_import_job_run(*, job_id: int) -> PlanImportJob | None:
    """Read the job's file (OCR) into a draft. Idempotent: a finished job is left alone; one left "running" by a
    dead worker is read again (the draft and the job's "done" are committed together, so no draft is made twice)."""
    with transaction.atomic():
        job = PlanImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (JobState.DONE, JobState.FAILED):
            return job
        job.state = JobState.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["state", "started_at", "updated_at"])
    data = bytes(job.content)
    try:
        result = import_document(data, job.filename, registry=Registry.from_db())
    except PlanImportError as exc:
        return _job_finish(job, JobState.FAILED, message=str(exc))
    except Exception:  # noqa: BLE001 - the page shows "failed" with a message instead of "running" forever
        logger.exception("plan import: job %s failed", job.pk)
        return _job_finish(
            job,
            JobState.FAILED,
            message=gettext(
                "Không đọc được tệp “%(filename)s” do lỗi hệ thống; hãy thử lại hoặc báo quản trị viên."
            )
            % {"filename": job.filename},
        )
    with transaction.atomic():
        draft = _draft_from(job.created_by, result, job.filename)
        return _job_finish(
            job, JobState.DONE, draft=draft, pages=result.source.ocr_pages, seconds=result.source.ocr_seconds
        )


def _job_finish(job, state, *, message="", draft=None, pages=0, seconds=0.0) -> PlanImportJob:
    job.state = state
    job.message = message
    job.draft = draft
    job.ocr_pages = pages
    job.ocr_seconds = seconds
    job.content = b""  # the file is not kept once read (as for drafts: only its text)
    job.finished_at = timezone.now()
    job.save()
    logger.info("plan import: job %s %s, %s OCR pages in %.1f s", job.pk, state, pages, seconds)
    return job


@transaction.atomic
def plan_import_draft_update(*, actor, draft: PlanImportDraft, form_data: dict[str, str]) -> PlanImportDraft:
    """Apply the review form's values (field name -> text, see ``review.apply_form``) to the draft. Never refuses:
    whatever was typed is kept and checked on display."""
    require_plan_importer(actor)
    draft = PlanImportDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise _refused(gettext("Bản nháp này đã được công bố, không sửa được nữa."))
    draft.data = apply_form(draft.data, form_data, Registry.from_db())
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def plan_import_draft_publish(*, actor, draft: PlanImportDraft, replace: bool = False) -> Plan:
    """Create the plan from the draft. Refuses (DraftPublishError) while the rulebook finds an error; saves nothing
    then."""
    require_plan_importer(actor)
    draft = PlanImportDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise _refused(gettext("Bản nháp này đã được công bố."))
    try:
        plan = plan_publish(actor=actor, data=for_publish(draft.data), replace=replace)
    except PlanPublishError as exc:
        raise DraftPublishError(exc.problems) from exc
    measurement_create(plan=plan, data=draft.data)
    draft.status = DraftStatus.PUBLISHED
    draft.plan = plan
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.save(update_fields=["status", "plan", "published_at", "published_by", "updated_at"])
    return plan


def measurement_create(*, plan: Plan, data: dict) -> int:
    """Give every target of the newly published ``plan`` its indicator definition: the unit and provider set in
    review, else the target's own unit and no provider yet; the coordinator refines it later on "Thiết lập đo
    lường". Sent as ``plans.signals.plan_measurement_proposed`` (the indicators app writes the definitions and
    leaves alone targets that already have one). Returns how many were created."""
    measurement = data.get("measurement") or {}
    # A compound target is measured by its parts: the targets without parts get a definition.
    codes = list(plan.targets.filter(parts__isnull=True).values_list("code", "unit"))
    rows = []
    for code, unit in codes:
        chosen = measurement.get(code) or {}
        row = {"target": code, "unit": (chosen.get("unit") or unit or "")[:40]}
        if chosen.get("provider"):
            row["provider"] = chosen["provider"]
        if chosen.get("method_note"):
            row["method_note"] = chosen["method_note"]
        rows.append(row)
    if not rows:
        return 0
    document = {"format": "plantrack.indicators/1", "indicators": rows}
    answers = plan_measurement_proposed.send(sender=Plan, plan=plan, document=document)
    return sum(created or 0 for _receiver, created in answers)


@transaction.atomic
def plan_import_draft_delete(*, actor, draft: PlanImportDraft) -> None:
    require_plan_importer(actor)
    PlanImportDraft.objects.filter(pk=draft.pk, status=DraftStatus.DRAFT).delete()


__all__ = [
    "DraftPublishError",
    "plan_import_job_run",
    "plan_import_start",
    "PlanImportError",
    "plan_import_draft_create",
    "plan_import_draft_delete",
    "plan_import_draft_publish",
    "plan_import_draft_update",
]
