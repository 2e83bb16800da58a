"""Pages of the consolidated report. Thin: permission-checked getters, one service call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import is_coordinator
from plantrack.core.text import duration_words
from plantrack.reporting.models import ReportingCycle

from . import services
from .forms import NarrativeForm
from .models import BuildRun, ConsolidatedReport
from .permissions import (
    build_run_get_for_user,
    can_manage,
    consolidation_cycle_get_for_user,
    is_consolidation_user,
)
from .report.compile import consolidated_compile
from .selectors import consolidation_overview, section_composers


def consolidated_list(request):
    """The cycles whose consolidated report the user may read, with the state of their latest build."""
    user = request.user
    if not is_consolidation_user(user):
        raise PermissionDenied
    cycles = ReportingCycle.objects.for_user(user).select_related("plan")
    if is_coordinator(user):
        cycles = cycles.coordinated_by(user)
    cycles = list(cycles)
    reports = {r.cycle_id: r for r in ConsolidatedReport.objects.for_user(user).filter(cycle__in=cycles)}
    latest: dict[int, BuildRun] = {}
    for run in (
        BuildRun.objects.for_user(user).filter(report__cycle__in=cycles, state="done").order_by("created_at")
    ):
        latest[run.report_id] = run
    rows = []
    for cycle in cycles:
        report = reports.get(cycle.pk)
        rows.append({"cycle": cycle, "report": report, "latest": latest.get(report.pk) if report else None})
    return render(request, "consolidation/list.html", {"rows": rows})


def consolidated_detail(request, cycle_pk: int):
    cycle = consolidation_cycle_get_for_user(user=request.user, pk=cycle_pk)
    context = consolidation_overview(cycle=cycle, user=request.user)
    context.update(cycle=cycle, manage=can_manage(request.user, cycle.plan), now=timezone.now())
    return render(request, "consolidation/detail.html", context)


def consolidated_edit(request, cycle_pk: int):
    """Edit the narrative. The first time, the form holds the suggested draft (saved on the first "Lưu")."""
    cycle = consolidation_cycle_get_for_user(user=request.user, pk=cycle_pk, manage=True)
    report = ConsolidatedReport.objects.filter(cycle=cycle).first()
    if report is None:
        report = services.consolidated_report_suggested(cycle=cycle)
    current = None
    if request.method == "POST":
        form = NarrativeForm(request.POST, instance=ConsolidatedReport(cycle=cycle))
        if form.is_valid():
            try:
                services.consolidated_report_save(
                    actor=request.user,
                    cycle=cycle,
                    version=form.cleaned_data["version"],
                    values=form.values(),
                )
            except services.StaleNarrativeError as exc:
                current = exc.current  # shown beside the user's text, which stays in the bound form
                form.add_error(None, str(exc))
            except services.ConsolidationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu nội dung báo cáo tổng hợp."))
                if "build" in request.POST:
                    run = services.build_start(actor=request.user, cycle=cycle)
                    return redirect("consolidation:run_detail", run.pk)
                return redirect("consolidation:detail", cycle.pk)
    else:
        form = NarrativeForm(instance=report)
    return render(
        request,
        "consolidation/edit.html",
        {
            "cycle": cycle,
            "form": form,
            "report": report,
            "current": current,
            "composers": section_composers(consolidated_compile(cycle=cycle)),
        },
    )


@require_POST
def build_start(request, cycle_pk: int):
    cycle = consolidation_cycle_get_for_user(user=request.user, pk=cycle_pk, manage=True)
    try:
        run = services.build_start(actor=request.user, cycle=cycle)
    except services.ConsolidationError as exc:
        messages.error(request, str(exc))
        return redirect("consolidation:detail", cycle.pk)
    return redirect("consolidation:run_detail", run.pk)


def _status(run: BuildRun) -> dict:
    stale = run.is_stale()
    data = {
        "state": "failed" if stale else run.state,
        "label": _("Lỗi") if stale else run.get_state_display(),
        "progress": run.progress,
        "step": run.step,
        "error": _("Bị gián đoạn (máy chủ khởi động lại?).") if stale else run.error,
        "finished": not run.is_active or stale,
    }
    if run.is_done:
        data["docx_url"] = reverse("consolidation:run_download", args=[run.pk, "docx"])
        data["xlsx_url"] = reverse("consolidation:run_download", args=[run.pk, "xlsx"])
        data["duration_ms"] = run.duration_ms
        data["duration_text"] = duration_words(run.duration_ms)
    return data


def build_run_detail(request, pk: int):
    run = build_run_get_for_user(user=request.user, pk=pk)
    cycle = run.report.cycle
    return render(
        request,
        "consolidation/run.html",
        {"run": run, "cycle": cycle, "status": _status(run), "manifest": run.manifest or {}},
    )


def build_run_status(request, pk: int):
    """The run's progress for the page's polling script."""
    run = build_run_get_for_user(user=request.user, pk=pk)
    return JsonResponse(_status(run))


def build_run_download(request, pk: int, kind: str):
    run = build_run_get_for_user(user=request.user, pk=pk)
    try:
        handle, name = services.build_run_export(actor=request.user, run=run, kind=kind, request=request)
    except services.BuildFileMissing:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name)
