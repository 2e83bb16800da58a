"""Pages of the consolidated report. Thin: permission-checked getters, one service call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import coordinated_plans_q, is_coordinator, is_viewer
from plantrack.core.lists import export_format, paginate, table_export
from plantrack.core.text import duration_words
from plantrack.plans.models import Plan
from plantrack.reporting.models import ReportingCycle
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from . import services
from .forms import MultiYearForm, NarrativeForm
from .models import BuildRun, ConsolidatedReport
from .permissions import (
    build_run_get_for_user,
    can_manage,
    can_read,
    consolidation_cycle_get_for_user,
    is_consolidation_user,
)
from .report.compile import consolidated_compile
from .report.multiyear import multiyear_compile, multiyear_docx
from .selectors import consolidation_overview, section_composers

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def consolidated_list(request):
    """The cycles whose consolidated report the user may read, with the state of their latest build."""
    user = request.user
    if not is_consolidation_user(user):
        raise PermissionDenied
    cycles = ReportingCycle.objects.for_user(user).select_related("plan")
    if is_coordinator(user):
        cycles = cycles.coordinated_by(user)
    fmt = export_format(request)
    page = None
    if fmt:
        cycles = list(cycles)
    else:
        page = paginate(request, cycles)
        cycles = list(page.object_list)
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
    if fmt:
        return table_export(
            fmt=fmt,
            filename="bao-cao-tong-hop",
            title=_("Báo cáo tổng hợp"),
            headers=[
                _("Kế hoạch"),
                _("Kỳ"),
                _("Hạn báo cáo"),
                _("Phiên bản nội dung"),
                _("Bản tạo gần nhất"),
            ],
            rows=(
                [
                    r["cycle"].plan.code,
                    r["cycle"].label,
                    r["cycle"].due_date,
                    r["report"].version if r["report"] else _("Chưa soạn"),
                    r["latest"].finished_at if r["latest"] else None,
                ]
                for r in rows
            ),
        )
    return render(request, "consolidation/list.html", {"rows": rows, "page": page})


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


def multiyear_report(request):
    """The report over several years (sơ kết / tổng kết) of a plan: chosen here, built at once from the accepted
    reports of its yearly cycles and downloaded as DOCX (nothing is stored; the download is logged)."""
    user = request.user
    if not is_consolidation_user(user):
        raise PermissionDenied
    plans = Plan.objects.for_user(user).filter(is_published=True)
    if not is_viewer(user):
        plans = plans.filter(coordinated_plans_q(user))
    plans = plans.order_by("-issued_on", "pk")
    this_year = timezone.localdate().year
    first = plans.first()
    start = first.issued_on.year if first and first.issued_on else this_year - 1
    form = MultiYearForm(
        request.POST if request.method == "POST" else None,
        plans=plans,
        initial={"plan": first, "from_year": max(start, this_year - 3), "to_year": this_year - 1},
    )
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        if not can_read(user, plan):
            raise PermissionDenied
        report = multiyear_compile(
            plan=plan,
            from_year=form.cleaned_data["from_year"],
            to_year=form.cleaned_data["to_year"],
            final=form.cleaned_data["final"],
        )
        content = multiyear_docx(report)
        kind = "tong-ket" if form.cleaned_data["final"] else "so-ket"
        name = f"bao-cao-{kind}-{plan.code.replace('/', '-')}-{form.cleaned_data['from_year']}-{form.cleaned_data['to_year']}"
        security_event_record(
            actor=user,
            action=SecurityAction.EXPORT,
            request=request,
            target=f"{plan.code} {report.kind} {report.period}",
            detail={
                "format": "docx",
                "from": form.cleaned_data["from_year"],
                "to": form.cleaned_data["to_year"],
            },
        )
        response = HttpResponse(content, content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.docx"'
        return response
    return render(request, "consolidation/multiyear.html", {"form": form}, status=400 if form.errors else 200)
