"""Pages of monitoring. Thin: fetch through permission-checked getters, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import follows_plan, follows_plans, is_viewer
from plantrack.core.lists import export_format, paginate, table_export
from plantrack.core.page_cache import cached_body, page_with_body
from plantrack.core.text import vi_sort_key
from plantrack.core.versions import plan_inspections_key, tokens
from plantrack.indicators.querysets import figure_visibility_key
from plantrack.inspection.selectors import overdue_recommendations
from plantrack.orgs.models import Agency
from plantrack.plans.permissions import plan_get_for_user
from plantrack.reporting.models import ReportingCycle
from plantrack.reporting.timeliness import (
    TaskTimeliness,
    plan_task_timeliness,
    state_counts,
)

from . import services
from .forms import DashboardFilterForm, ScheduleForm, UrgingLetterForm
from .letter import urging_letter_docx, urging_letter_filename
from .models import UrgingLetter
from .permissions import can_urge, cycle_get_for_monitoring, letter_get_for_user
from .sections import dashboard_sections, version_keys
from .selectors import (
    cycle_funding,
    dashboard,
    reminder_log_rows,
    schedule_for,
    schedule_overview,
)
from .services import MonitoringError

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def index(request):
    """The cycles the user may monitor: those of the plans their department follows up, or every cycle for a
    viewer."""
    if not follows_plans(request.user):
        raise PermissionDenied
    cycles = ReportingCycle.objects.for_user(request.user).select_related("plan")
    if not is_viewer(request.user):
        cycles = cycles.coordinated_by(request.user)
    return render(request, "monitoring/index.html", {"cycles": cycles})


def _filter_form(request) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None)


def cycle_dashboard(request, pk: int):
    """The cycle's dashboard. Its body is the same for every user who sees the same figures and has the same
    rights on the cycle: it is rendered once per version of everything it shows (the cycle and its reports,
    reminders and schedule, the plan, its figures and inspections, the agencies), per visibility key, rights,
    query string, day and language, and served from the cache after that (``core.page_cache``). A warm request
    reads the cycle (permission check), the versions (one query) and one cache entry."""
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk)
    today = timezone.localdate()
    manage = can_urge(request.user, cycle)
    querystring = request.GET.urlencode()
    versions = tokens(*version_keys(cycle), plan_inspections_key(cycle.plan_id))
    computed: dict = {}

    def render_body() -> str:
        computed.update(
            _dashboard_body_context(
                request, cycle=cycle, today=today, manage=manage, versions=versions.rsplit(".", 1)[0]
            )
        )
        # no request: nothing of one user or one request (CSRF token, context processors) enters the cache
        return render_to_string("monitoring/_dashboard_body.html", computed)

    body, _hit = cached_body(
        "dashboard",
        versions=versions,
        parts=(cycle.pk, figure_visibility_key(request.user, cycle.plan), manage, today.isoformat()),
        querystring=querystring,
        render=render_body,
    )
    return page_with_body(
        request,
        "monitoring/dashboard.html",
        {
            "cycle": cycle,
            # board, progress and sections only when just computed (a cache miss): tests and debugging read them
            "board": computed.get("board"),
            "progress": computed.get("progress"),
            "sections": computed.get("sections"),
        },
        body,
    )


def _dashboard_body_context(request, *, cycle, today, manage: bool, versions: str) -> dict:
    form = _filter_form(request)
    filters = form.filters()
    # The agency table and the task matrix are the same for every reader: rendered once per version of the cycle.
    sections = dashboard_sections(
        cycle=cycle,
        form=form,
        filters=filters,
        today=today,
        user=request.user,
        querystring=request.GET.urlencode(),
        versions=versions,
    )
    _schedule, rule = schedule_for(cycle)
    return {
        "cycle": cycle,
        "sections": sections,
        "board": sections.get("board"),
        "progress": sections.get("progress_data"),
        "form": form,
        "filters": filters,
        "today": today,
        "manage": manage,
        "rule": rule,
        "next_step": rule.next_step(due_date=cycle.due_date, today=today) if cycle.is_open else None,
        "querystring": request.GET.urlencode(),
        "deadlines": sections["deadlines"],
        "funding": cycle_funding(cycle=cycle),
        "overdue_recommendations": overdue_recommendations(plan=cycle.plan, as_of=today),
    }


def cycle_dashboard_csv(request, pk: int):
    """The dashboard's rows (with the same filters) as CSV (UTF-8 with a byte-order mark so Excel reads the
    Vietnamese letters) or, with ``?xuat=xlsx``, as an Excel sheet."""
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk)
    today = timezone.localdate()
    board = dashboard(cycle=cycle, filters=_filter_form(request).filters(), today=today)
    headers = [
        _("STT"),
        _("Đơn vị"),
        _("Loại đơn vị"),
        _("Trạng thái"),
        _("Mã trạng thái"),
        _("Hạn báo cáo"),
        _("Số ngày còn lại (âm: quá hạn)"),
        _("Thời hạn"),
        _("Gửi lần đầu"),
        _("Gửi lần cuối"),
        _("Tiếp nhận"),
        _("Số nhiệm vụ"),
        _("Nhiệm vụ đã báo cáo"),
        _("Nhắc hạn gần nhất"),
        _("Bước nhắc gần nhất"),
    ]
    rows = (
        [
            i,
            row.agency.name,
            row.agency.get_kind_display(),
            row.label,
            row.state,
            cycle.due_date,
            row.days if row.owes else "",
            row.timing,
            row.report.first_submitted_at,
            row.report.submitted_at,
            row.report.accepted_at,
            row.entries,
            "" if row.entries_with_status is None else row.entries_with_status,
            row.last_reminder_at,
            row.last_reminder_step.label if row.last_reminder_step else "",
        ]
        for i, row in enumerate(board.rows, 1)
    )
    # The shared export (core.lists): CSV by default (the historical link), ?xuat=xlsx for Excel.
    return table_export(
        fmt=export_format(request) or "csv",
        filename=f"theo-doi-{cycle.plan.code.replace('/', '-')}-{cycle.year}-{today:%Y%m%d}",
        title=_("Theo dõi"),
        headers=headers,
        rows=rows,
    )


def cycle_reminders(request, pk: int):
    """The schedule (editable), its steps, what would be sent today, the urging letters and the log."""
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk, manage=True)
    today = timezone.localdate()
    schedule, rule = schedule_for(cycle)
    initial = {
        "days_before": ", ".join(str(d) for d in sorted(rule.days_before, reverse=True)),
        "days_after": ", ".join(str(d) for d in sorted(rule.days_after)),
        "repeat_every_days": rule.repeat_every,
        "repeat_limit": rule.repeat_limit,
        "is_active": rule.active,
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_schedule_update(actor=request.user, cycle=cycle, **form.cleaned_data)
        except MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu lịch nhắc hạn."))
            return redirect("monitoring:reminders", cycle.pk)
    log = reminder_log_rows(cycle=cycle, user=request.user)
    fmt = export_format(request) if request.method == "GET" else None
    if fmt:
        return table_export(
            fmt=fmt,
            filename=f"nhat-ky-nhac-han-{cycle.plan.code}-{cycle.label}",
            title=_("Nhật ký nhắc hạn"),
            headers=[
                _("Thời điểm"),
                _("Đơn vị"),
                _("Bước"),
                _("Người nhận"),
                _("Thư điện tử"),
                _("Trạng thái khi gửi"),
                _("Gửi bởi"),
            ],
            rows=(
                [
                    e.sent_at,
                    e.agency.name,
                    str(e.step.label),
                    e.recipient_name,
                    e.email,
                    str(e.report_state_label),
                    e.sent_by.display_name if e.sent_by else _("lịch tự động"),
                ]
                for e in log
            ),
        )
    log_page = paginate(request, log)
    preview = services.reminders_send(cycle=cycle, today=today, dry_run=True)
    return render(
        request,
        "monitoring/reminders.html",
        {
            "cycle": cycle,
            "form": form,
            "schedule": schedule,
            "rule": rule,
            "today": today,
            "steps": schedule_overview(cycle=cycle, today=today, rule=rule),
            "preview": preview,
            "letters": UrgingLetter.objects.for_user(request.user)
            .filter(cycle=cycle)
            .select_related("prepared_by"),
            "log": log_page.object_list,
            "page": log_page,
        },
    )


@require_POST
def cycle_reminders_send(request, pk: int):
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk, manage=True)
    try:
        result = services.reminders_send(cycle=cycle, today=timezone.localdate(), actor=request.user)
    except MonitoringError as exc:
        messages.error(request, str(exc))
    else:
        if result.sent:
            messages.success(
                request,
                _("Đã gửi nhắc hạn tới %(a)s đơn vị (%(m)s người nhận).")
                % {"a": len(result.sent), "m": result.messages},
            )
        else:
            messages.info(request, _("Hôm nay không có nhắc hạn nào cần gửi."))
    return redirect("monitoring:reminders", cycle.pk)


@require_POST
def letter_create(request, pk: int):
    cycle = cycle_get_for_monitoring(user=request.user, pk=pk, manage=True)
    try:
        letter = services.urging_letter_prepare(actor=request.user, cycle=cycle)
    except MonitoringError as exc:
        messages.error(request, str(exc))
        return redirect("monitoring:reminders", cycle.pk)
    messages.success(
        request,
        _("Đã soạn công văn đôn đốc lần %(n)s; xem lại và sửa trước khi xuất tệp.") % {"n": letter.sequence},
    )
    return redirect("monitoring:letter_edit", letter.pk)


def letter_edit(request, pk: int):
    letter = letter_get_for_user(user=request.user, pk=pk)
    form = UrgingLetterForm(request.POST or None, instance=letter)
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in UrgingLetterForm.Meta.fields}
        try:
            services.urging_letter_update(
                actor=request.user,
                letter=letter,
                regenerate_body=form.cleaned_data["regenerate_body"],
                **values,
            )
        except MonitoringError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu công văn."))
            return redirect("monitoring:letter_edit", letter.pk)
    return render(
        request, "monitoring/letter_edit.html", {"letter": letter, "cycle": letter.cycle, "form": form}
    )


def letter_docx(request, pk: int):
    letter = letter_get_for_user(user=request.user, pk=pk)
    data = urging_letter_docx(letter)
    services.urging_letter_mark_exported(actor=request.user, letter=letter)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{urging_letter_filename(letter)}"'
    return response


TIMELINESS_PAGE_SIZE = 50


def task_timeliness(request, pk: int):
    """Every (task, agency) pair of a plan with its timeliness state today, filtered by state (``tinh_trang``)
    and agency (``don_vi``), 50 a page. For the plan's coordinators and viewers (403 for others who may read the
    plan, 404 for a plan they may not)."""
    plan = plan_get_for_user(user=request.user, pk=pk)
    if not follows_plan(request.user, plan):
        raise PermissionDenied
    today = timezone.localdate()
    rows = plan_task_timeliness(plan=plan, as_of=today)
    counts = state_counts(rows)
    agencies = sorted({r.agency.pk: r.agency for r in rows}.values(), key=lambda a: vi_sort_key(a.name))
    state = request.GET.get("tinh_trang", "")
    if state in TaskTimeliness.values:
        rows = [r for r in rows if r.state == state]
    else:
        state = ""
    agency_id = request.GET.get("don_vi", "")
    agency = Agency.objects.filter(pk=agency_id).first() if agency_id.isdigit() else None
    if agency is not None:
        rows = [r for r in rows if r.agency.pk == agency.pk]
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename=f"thoi-han-nhiem-vu-{plan.code.replace('/', '-')}-{today:%Y%m%d}",
            title=_("Thời hạn nhiệm vụ"),
            headers=[
                _("Mã nhiệm vụ"),
                _("Nhiệm vụ"),
                _("Thời hạn"),
                _("Đơn vị"),
                _("Vai trò"),
                _("Tình trạng báo cáo gần nhất"),
                _("Hoàn thành ngày"),
                _("Thời hạn nhiệm vụ"),
            ],
            rows=(
                [
                    r.task.code,
                    r.task.text,
                    r.due_date or r.task.get_recurrence_display(),
                    r.agency.name,
                    _("Chủ trì") if r.is_lead else _("Phối hợp"),
                    r.status_label or "",
                    r.done_on,
                    r.state_label,
                ]
                for r in rows
            ),
        )
    page = Paginator(rows, TIMELINESS_PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "monitoring/task_timeliness.html",
        {
            "plan": plan,
            "today": today,
            "counts": counts,
            "total": sum(n for _c, _l, n in counts),
            "page": page,
            "state": state,
            "agency": agency,
            "agencies": agencies,
            "states": TaskTimeliness.choices,
            "querystring": query.urlencode(),
        },
    )
