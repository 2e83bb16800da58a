"""Writes of plan import: create a draft from an uploaded document, save the reviewer's edits, publish, discard.

Publishing is the only step that creates a plan, through ``plantrack.plans.services.plan_publish`` (all or nothing;
the same rulebook as the review page)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from plantrack.plans.models import Plan
from plantrack.plans.services import PlanPublishError, plan_publish

from . import PlanImportError, Problem, Registry, import_document
from .models import DraftStatus, PlanImportDraft
from .permissions import require_plan_importer
from .review import apply_form, for_publish


class DraftPublishError(PlanPublishError):
    """The draft cannot be published (yet); ``problems``/``messages`` list every reason, in Vietnamese."""


def _refused(message: str) -> DraftPublishError:
    return DraftPublishError([Problem("", message, code="draft_published")])


@transaction.atomic
def plan_import_draft_create(*, actor, data: bytes, filename: str) -> PlanImportDraft:
    """Read ``data`` and keep what was extracted as a draft. Raises PlanImportError with a clear message."""
    require_plan_importer(actor)
    result = import_document(data, filename, registry=Registry.from_db())
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
    draft.status = DraftStatus.PUBLISHED
    draft.plan = plan
    draft.published_at = timezone.now()
    draft.published_by = actor
    draft.save(update_fields=["status", "plan", "published_at", "published_by", "updated_at"])
    return plan


@transaction.atomic
def plan_import_draft_delete(*, actor, draft: PlanImportDraft) -> None:
    require_plan_importer(actor)
    PlanImportDraft.objects.filter(pk=draft.pk, status=DraftStatus.DRAFT).delete()


__all__ = [
    "DraftPublishError",
    "PlanImportError",
    "plan_import_draft_create",
    "plan_import_draft_delete",
    "plan_import_draft_publish",
    "plan_import_draft_update",
]
