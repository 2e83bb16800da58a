"""Pages for recording organisation changes: list, form with preview, apply, undo. Administrators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .forms import OrgChangeForm
from .models import OrgChange
from .services import (
    OrgChangeError,
    OrgChangeSpec,
    orgchange_apply,
    orgchange_preview,
    orgchange_undo,
    orgchange_undo_blockers,
)


def _require_admin(user) -> None:
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied


def orgchange_list(request):
    _require_admin(request.user)
    changes = (
        OrgChange.objects.select_related("recorded_by", "undone_by")
        .prefetch_related(
            "successions__predecessor", "successions__successor", "successions__successor_group"
        )
        .order_by("-effective_date", "-pk")
    )
    return render(request, "orgs/change_list.html", {"changes": changes})


def _spec(data: dict) -> OrgChangeSpec:
    return OrgChangeSpec(
        kind=data["kind"],
        effective_date=data["effective_date"],
        predecessors=list(data["predecessors"]),
        successors=list(data.get("successors") or []),
        successor_group=data.get("successor_group"),
        new_successor_name=data.get("new_successor_name", ""),
        new_successor_short_name=data.get("new_successor_short_name", ""),
        legal_basis=data.get("legal_basis", ""),
        legal_basis_date=data.get("legal_basis_date"),
        note=data.get("note", ""),
        date_is_uncertain=data.get("date_is_uncertain", False),
    )


def orgchange_create(request):
    """GET: empty form. POST without "apply": the preview. POST with "apply": apply in one transaction."""
    _require_admin(request.user)
    form = OrgChangeForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        spec = _spec(form.cleaned_data)
        preview = orgchange_preview(spec=spec)
        if "apply" in request.POST and not preview.errors:
            try:
                change = orgchange_apply(actor=request.user, spec=spec)
            except OrgChangeError as exc:
                preview.errors = str(exc).splitlines()
            else:
                messages.success(request, f"Đã ghi nhận và áp dụng: {change}.")
                return redirect("orgs:change_detail", pk=change.pk)
    return render(request, "orgs/change_form.html", {"form": form, "preview": preview})


def orgchange_detail(request, pk: int):
    _require_admin(request.user)
    change = get_object_or_404(OrgChange.objects.select_related("recorded_by", "undone_by"), pk=pk)
    return render(
        request,
        "orgs/change_detail.html",
        {
            "change": change,
            "edges": change.successions.select_related("predecessor", "successor", "successor_group"),
            "blockers": orgchange_undo_blockers(change=change) if change.is_active else [],
        },
    )


@require_POST
def orgchange_undo_view(request, pk: int):
    _require_admin(request.user)
    change = get_object_or_404(OrgChange, pk=pk)
    try:
        orgchange_undo(actor=request.user, change=change)
    except OrgChangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Đã hoàn tác: {change}.")
    return redirect("orgs:change_detail", pk=pk)
