"""Writes of plan import: create a draft from an uploaded document, save the reviewer's edits, publish, discard.

Publishing is the only step that creates a plan, through ``plantrack.plans.interchange.plan_from_dict`` (all or
nothing)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from plantrack.plans.interchange import PlanDataError, plan_from_dict
from plantrack.plans.models import Plan

from .models import DraftStatus, PlanImportDraft
from .permissions import require_plan_importer
from .plan_import import PlanImportError, Registry, import_document
from .plan_import.review import apply_form, check_plan, for_publish


class DraftPublishError(ValueError):
    """The draft cannot be published yet; ``messages`` lists every reason, in Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@transaction.atomic
def plan_import_draft_create(*, actor, data: bytes, filename: str) -> PlanImportDraft:
    """Read ``data`` and keep what was extracted as a draft. Raises PlanImportError with a clear message."""
    require_plan_importer(actor)
    result = import_document(data, filename, registry=Registry.from_db())
    plan = result.plan
    # Names matched approximately stay marked on their assignment until the reviewer changes it.
    for problem in result.problems:
        parts = problem.path.split(".")
        if problem.level != "error" and len(parts) == 4 and parts[0] == "tasks" and parts[2] == "assignments":
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
def plan_import_draft_update(*, actor, draft: PlanImportDraft, form_data) -> PlanImportDraft:
    """Apply the review form to the draft. Never refuses: whatever was typed is kept and checked on display."""
    require_plan_importer(actor)
    draft = PlanImportDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise DraftPublishError([gettext("Bản nháp này đã được công bố, không sửa được nữa.")])
    draft.data = apply_form(draft.data, form_data, Registry.from_db())
    draft.save(update_fields=["data", "updated_at"])
    return draft


@transaction.atomic
def plan_import_draft_publish(*, actor, draft: PlanImportDraft, replace: bool = False) -> Plan:
    """Create the plan from the draft. Refuses (DraftPublishError) while anything blocks; saves nothing then."""
    require_plan_importer(actor)
    draft = PlanImportDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise DraftPublishError([gettext("Bản nháp này đã được công bố.")])
    errors = [p.message for p in check_plan(draft.data, Registry.from_db()) if p.level == "error"]
    if errors:
        raise DraftPublishError(errors)
    try:
        plan = plan_from_dict(for_publish(draft.data), replace=replace)
    except PlanDataError as exc:
        raise DraftPublishError(str(exc).split("\n")) from exc
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
