"""Who may import plans, and the permission-checked getter for import drafts."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import may_import_plans

from .models import PlanImportDraft


def can_import_plans(user) -> bool:
    return may_import_plans(user)


def require_plan_importer(user) -> None:
    if not can_import_plans(user):
        raise PermissionDenied("Chỉ quản trị viên và cán bộ điều phối được nhập kế hoạch.")


def draft_get_for_user(*, user, pk: int, write: bool = False) -> PlanImportDraft:
    """The draft ``pk`` if ``user`` may see it (404 otherwise, so ids do not leak). ``write`` also requires that
    the draft is not published yet."""
    require_plan_importer(user)
    draft = get_object_or_404(PlanImportDraft.objects.for_user(user).select_related("plan"), pk=pk)
    if write and not draft.is_draft:
        raise PermissionDenied("Bản nháp này đã được công bố thành kế hoạch, không sửa được nữa.")
    return draft
