"""Pages of plan amendments (sửa đổi, bổ sung kế hoạch): the list with the coordinator's new-document form, and
one amendment with its changes, preview, apply and undo. Thin: every write is a service of ``plans.amendments``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import is_coordinator_of
from plantrack.core.lists import export_format, table_export

from . import amendments as service
from .forms import AmendmentChangeForm, AmendmentForm
from .models import Amendment, AmendmentState
from .permissions import amendment_get_for_user, plan_get_for_user


def amendment_list(request, pk: int):
    """The plan's amendments; the plan's coordinators also see drafts and register a new document (POST)."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    coordinator = is_coordinator_of(request.user, plan)
    if request.method == "POST" and not coordinator:
        raise PermissionDenied
    amendments = Amendment.objects.filter(plan=plan)
    if not (coordinator or request.user.is_staff or getattr(request.user, "is_administrator", False)):
        amendments = amendments.filter(state=AmendmentState.APPLIED)
    fmt = export_format(request) if request.method == "GET" else None
    if fmt:
        return table_export(
            fmt=fmt,
            filename=f"sua-doi-{plan.code}",
            title=_("Sửa đổi, bổ sung"),
            headers=[
                _("Văn bản"),
                _("Cơ quan ban hành"),
                _("Trích yếu"),
                _("Hiệu lực từ"),
                _("Số nội dung"),
                _("Trạng thái"),
            ],
            rows=(
                [a.label, a.issuer, a.title, a.effective_on, a.n_changes, a.get_state_display()]
                for a in amendments.annotate(n_changes=Count("changes"))
            ),
        )
    form = AmendmentForm(request.POST or None) if coordinator else None
    if request.method == "POST" and form.is_valid():
        try:
            amendment = service.amendment_create(actor=request.user, plan=plan, **form.cleaned_data)
        except service.AmendmentError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("plans:amendment_detail", amendment.pk)
    return render(
        request,
        "plans/amendment_list.html",
        {"plan": plan, "amendments": amendments.prefetch_related("changes"), "form": form},
    )


def amendment_detail(request, pk: int):
    amendment = amendment_get_for_user(user=request.user, pk=pk)
    coordinator = is_coordinator_of(request.user, amendment.plan)
    changes = list(amendment.changes.select_related("task", "target"))
    for c in changes:
        c.label = service.change_label(c)
    context = {"amendment": amendment, "plan": amendment.plan, "changes": changes, "can_edit": coordinator}
    if coordinator and not amendment.is_applied:
        context["form"] = AmendmentChangeForm(plan=amendment.plan)
        if changes:
            try:
                context["preview"] = service.amendment_preview(actor=request.user, amendment=amendment)
            except service.AmendmentError as exc:
                context["preview_error"] = str(exc)
    if coordinator and amendment.is_applied:
        context["blockers"] = service.amendment_blockers(amendment=amendment)
    return render(request, "plans/amendment_detail.html", context)


@require_POST
def amendment_change_add(request, pk: int):
    amendment = amendment_get_for_user(user=request.user, pk=pk, write=True)
    form = AmendmentChangeForm(request.POST, plan=amendment.plan)
    if form.is_valid():
        try:
            service.amendment_change_add(actor=request.user, amendment=amendment, **form.service_arguments())
        except service.AmendmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã thêm nội dung sửa đổi."))
    else:
        messages.error(request, _("Nội dung sửa đổi chưa hợp lệ: %(e)s") % {"e": form.errors.as_text()})
    return redirect("plans:amendment_detail", amendment.pk)


@require_POST
def amendment_change_remove(request, pk: int, change_pk: int):
    amendment = amendment_get_for_user(user=request.user, pk=pk, write=True)
    change = get_object_or_404(amendment.changes, pk=change_pk)
    try:
        service.amendment_change_remove(actor=request.user, change=change)
    except service.AmendmentError as exc:
        messages.error(request, str(exc))
    return redirect("plans:amendment_detail", amendment.pk)


@require_POST
def amendment_apply(request, pk: int):
    amendment = amendment_get_for_user(user=request.user, pk=pk, write=True)
    try:
        service.amendment_apply(actor=request.user, amendment=amendment)
    except service.AmendmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã áp dụng %(a)s.") % {"a": amendment.label})
    return redirect("plans:amendment_detail", amendment.pk)


@require_POST
def amendment_undo(request, pk: int):
    amendment = amendment_get_for_user(user=request.user, pk=pk, write=True)
    try:
        service.amendment_undo(actor=request.user, amendment=amendment)
    except service.AmendmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã hoàn tác %(a)s.") % {"a": amendment.label})
    return redirect("plans:amendment_detail", amendment.pk)
