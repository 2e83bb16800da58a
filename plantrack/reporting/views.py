"""Pages of the reporting workflow. Thin: fetch through permission-checked getters, call one service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import coordinated_plans_q, follows_plan, is_coordinator_of, is_member_of
from plantrack.core.lists import export_format, paginate, table_export
from plantrack.core.page_cache import cached_body, page_with_body, request_mark
from plantrack.core.rescue import login_required_json_keeping_post, login_required_keeping_post, rescued_post
from plantrack.core.versions import (
    ORGS_KEY,
    cycle_key,
    plan_figures_key,
    plan_key,
    plan_reports_key,
    tokens,
)
from plantrack.plans.models import Plan
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record
from plantrack.security.sessions import session_idle_remaining

from . import services
from .excel import XlsxImportError, report_xlsx_build
from .figures import figures_read_only_reason, figures_vary, report_figures
from .forms import (
    PERIOD_CHOICES_MAP,
    CycleEditForm,
    CycleOpenForm,
    ProposalDecisionForm,
    ReportFactsForms,
    ReportForm,
    ReturnForm,
    SignedReportForm,
    VersionForm,
    XlsxUploadForm,
)
from .models import AgencyReport, EvidenceKind, ReportingCycle, ReportState
from .permissions import (
    can_decide_proposals,
    can_edit,
    can_hand_back,
    can_hand_over,
    can_review,
    can_submit,
    cycle_get_for_user,
    evidence_get_for_user,
    report_get_for_review,
    report_get_for_submit,
    report_get_for_user,
)
from .selectors import cycle_rows, cycle_summary, partner_entries, report_for_page, report_history
from .services import IncompleteReportError, ReportingError, StaleReportError
from .uploads import MAX_EVIDENCE_BYTES


def _coordinated_plans(user):
    return Plan.objects.for_user(user).filter(coordinated_plans_q(user))


# --- Lists ----------------------------------------------------------------------------------------------------


def report_list(request):
    """The reports the user may read: an agency's own reports, or the submitted reports of every agency."""
    reports = (
        AgencyReport.objects.for_user(request.user)
        .select_related("cycle__plan", "agency", "cycle")
        .order_by("-cycle__year", "cycle__plan", "agency__sort_key")
    )
    now = timezone.now()
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="bao-cao",
            title=_("Báo cáo"),
            headers=[_("Kế hoạch"), _("Kỳ báo cáo"), _("Đơn vị"), _("Trạng thái"), _("Hạn"), _("Gửi lúc")],
            rows=(
                [
                    r.cycle.plan.code,
                    str(r.cycle.label),
                    r.agency.name,
                    r.display_state(now, for_agency=is_member_of(request.user, r.agency_id))[1],
                    r.cycle.due_date,
                    r.submitted_at,
                ]
                for r in reports
            ),
        )
    page = paginate(request, reports)
    rows = [
        (r, *r.display_state(now, for_agency=is_member_of(request.user, r.agency_id)))
        for r in page.object_list
    ]
    return render(request, "reporting/report_list.html", {"rows": rows, "now": now, "page": page})


def cycle_list(request):
    cycles = ReportingCycle.objects.for_user(request.user).select_related("plan", "ad_hoc_request")
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename="ky-bao-cao",
            title=_("Kỳ báo cáo"),
            headers=[_("Kế hoạch"), _("Kỳ"), _("Hạn báo cáo"), _("Chốt số liệu"), _("Trạng thái")],
            rows=(
                [c.plan.code, str(c.label), c.due_date, c.data_as_of, c.get_state_display()] for c in cycles
            ),
        )
    page = paginate(request, cycles)
    return render(
        request,
        "reporting/cycle_list.html",
        {
            "cycles": page.object_list,
            "page": page,
            "can_open": _coordinated_plans(request.user).exists(),
        },
    )


def cycle_detail(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk)
    now = timezone.now()
    rows = cycle_rows(cycle=cycle, user=request.user, now=now)
    state_filter = request.GET.get("trang-thai", "")
    shown = [r for r in rows if r.code == state_filter] if state_filter else rows
    fmt = export_format(request)
    if fmt:
        return table_export(
            fmt=fmt,
            filename=f"ky-bao-cao-{cycle.plan.code}-{cycle.label}",
            title=_("Kỳ báo cáo"),
            headers=[
                _("Đơn vị"),
                _("Trạng thái"),
                _("Nhiệm vụ đã cập nhật"),
                _("Số nhiệm vụ"),
                _("Gửi lần đầu"),
                _("Gửi lần cuối"),
                _("Tiếp nhận"),
            ],
            rows=(
                [
                    r.report.agency.name,
                    str(r.label),
                    r.entries_with_status if r.visible else None,
                    r.entries if r.visible else None,
                    r.report.first_submitted_at,
                    r.report.submitted_at,
                    r.report.accepted_at,
                ]
                for r in shown
            ),
        )
    return render(
        request,
        "reporting/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": shown,
            "summary": cycle_summary(rows),
            "state_filter": state_filter,
            "manage": is_coordinator_of(request.user, cycle.plan),
            "watch": follows_plan(request.user, cycle.plan),
            "now": now,
            "days_left": (cycle.due_date - timezone.localdate()).days,
            "days_overdue": (timezone.localdate() - cycle.due_date).days,
        },
    )


def cycle_open(request):
    plans = _coordinated_plans(request.user)
    if not plans.exists():
        raise PermissionDenied
    form = CycleOpenForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            period_type, period_index = PERIOD_CHOICES_MAP[form.cleaned_data["period"] or "year"]
            cycle = services.cycle_open(
                actor=request.user,
                plan=form.cleaned_data["plan"],
                year=form.cleaned_data["year"],
                period_type=period_type,
                period_index=period_index,
                due_date=form.cleaned_data["due_date"],
                data_as_of=form.cleaned_data["data_as_of"],
                note=form.cleaned_data["note"],
            )
        except ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã mở kỳ báo cáo %(label)s: %(n)s đơn vị phải báo cáo.")
                % {"label": cycle.label, "n": cycle.reports.count()},
            )
            return redirect("reporting:cycle_detail", cycle.pk)
    return render(request, "reporting/cycle_open.html", {"form": form})


def cycle_edit(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk, manage=True)
    form = CycleEditForm(
        request.POST or None,
        initial={"due_date": cycle.due_date, "data_as_of": cycle.data_as_of, "note": cycle.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_update(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu thông tin kỳ báo cáo."))
            return redirect("reporting:cycle_detail", cycle.pk)
    return render(request, "reporting/cycle_edit.html", {"cycle": cycle, "form": form})


@require_POST
def cycle_close(request, pk: int):
    cycle = cycle_get_for_user(user=request.user, pk=pk, manage=True)
    try:
        services.cycle_close(actor=request.user, cycle=cycle)
    except ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã đóng kỳ báo cáo năm %(year)s.") % {"year": cycle.year})
    return redirect("reporting:cycle_detail", cycle.pk)


# --- One report -----------------------------------------------------------------------------------------------


def _report_context(request, report: AgencyReport) -> dict:
    user = request.user
    member = is_member_of(user, report.agency_id)
    transitions = list(report.transitions.select_related("actor"))
    handover = None
    if report.state == ReportState.WITH_HEAD:
        handover = next((t for t in reversed(transitions) if t.to_state == ReportState.WITH_HEAD), None)
    return {
        "report": report,
        "cycle": report.cycle,
        "entries": list(report.entries.all()),
        "partners": partner_entries(report=report) if member else {},
        "display_state": report.display_state(for_agency=member),
        "can_edit": can_edit(user, report),
        "can_submit": can_submit(user, report),
        "can_hand_over": can_hand_over(user, report),
        "can_hand_back": can_hand_back(user, report),
        "handover": handover,
        "missing": services.report_missing_items(report) if member and report.cycle.is_open else [],
        "can_review": can_review(user, report),
        "proposal_form": ProposalDecisionForm(proposals=list(report.proposal_items.all()))
        if can_decide_proposals(user, report)
        else None,
        "submissions": list(report.submissions.select_related("submitted_by")),
        "transitions": transitions,
        "figures": report_figures(user=user, report=report),
        "figures_editable": False,
        "figures_reason": figures_read_only_reason(report, member=member),
    }


def report_detail(request, pk: int):
    report = report_for_page(report=report_get_for_user(user=request.user, pk=pk), fresh=True)
    context = _report_context(request, report)
    context["tab"] = "content"
    context["version_form"] = VersionForm(initial={"version": report.version})
    return render(request, "reporting/report_detail.html", context)


def report_history_view(request, pk: int):
    report = report_get_for_user(user=request.user, pk=pk)
    context = _report_context(request, report_for_page(report=report))
    context.update(tab="history", history=report_history(report=report, user=request.user))
    return render(request, "reporting/report_history.html", context)


@login_required_keeping_post
def report_edit(request, pk: int):
    """The agency's form. A POST that arrives after the session ended is kept through the login
    (``core.rescue``) and shown again here, unsaved, with a message. "Lưu và gửi" / "Lưu và trình lãnh đạo" save
    the typed edits first, then move the report, so unsaved edits are never dropped."""
    # A GET is mostly served from the cache: the report with what the key and the page around the body need.
    light = request.method != "POST"
    report = report_get_for_user(
        user=request.user, pk=pk, related=("cycle__plan", "agency") if light else None
    )
    if not can_edit(request.user, report):
        if is_member_of(request.user, report.agency_id) and report.state in (
            ReportState.WITH_HEAD,
            ReportState.SUBMITTED,
            ReportState.ACCEPTED,
        ):
            messages.info(
                request,
                _("Báo cáo đang ở trạng thái “%(state)s” nên không sửa được.")
                % {"state": report.get_state_display().lower()},
            )
            return redirect("reporting:report_detail", report.pk)
        raise PermissionDenied
    stale = None
    rescued = rescued_post(request) if request.method == "GET" else None
    upload_errors: dict[int, list[str]] = {}
    if request.method == "POST":
        # A save that succeeds only redirects: the page's heavy reads happen only when the form is shown again.
        form = ReportForm(
            request.POST, request.FILES, report=report, entries=list(report.entries.order_by("order"))
        )
        facts_forms = ReportFactsForms(request.POST, report=report, entries=form.entries)
        figures = report_figures(user=request.user, report=report, data=request.POST)
        with_facts = (
            facts_forms.is_submitted()
        )  # a client posting the main form alone leaves facts as they are
        if with_facts and not facts_forms.is_valid():
            form.add_error(
                None, _("Có dòng văn bản, hội nghị, kinh phí hoặc kiến nghị chưa hợp lệ (xem bên dưới).")
            )
        if form.is_valid():
            try:
                report = services.report_save_draft(
                    actor=request.user,
                    report=report,
                    version=form.cleaned_data["version"],
                    sections=form.section_values(),
                    entries=form.entry_values(),
                    data_as_of=form.cleaned_data["data_as_of"],
                    facts=facts_forms.facts() if with_facts else None,
                    proposals=facts_forms.proposals() if with_facts else None,
                )
            except StaleReportError as exc:
                stale = exc  # the user's text stays in the bound form below
                form.add_error(None, str(exc))
            except ReportingError as exc:
                form.add_error(None, str(exc))
            else:
                added = 0
                for entry, kind, value, title in form.new_evidence():
                    try:
                        with transaction.atomic():
                            if kind == "file":
                                services.evidence_add_file(
                                    actor=request.user, report=report, entry=entry, upload=value, title=title
                                )
                            else:
                                services.evidence_add_link(
                                    actor=request.user, report=report, entry=entry, url=value, title=title
                                )
                        added += 1
                    except ReportingError as exc:
                        upload_errors.setdefault(entry.pk, []).append(str(exc))
                saved_at = timezone.localtime(report.last_saved_at).strftime("%H:%M:%S")
                if figures is not None:
                    figures.save()
                if figures is not None and figures.has_errors:
                    # The report is saved; the refused figures stay as typed, each with its error.
                    messages.warning(
                        request,
                        _("Đã lưu nội dung lúc %(t)s, nhưng có số liệu chỉ tiêu chưa hợp lệ (xem bên dưới).")
                        % {"t": saved_at},
                    )
                    form = ReportForm(
                        report=AgencyReport.objects.get(pk=report.pk),
                        entries=list(report.entries.order_by("order")),
                    )
                    facts_forms = None
                elif upload_errors:
                    messages.warning(
                        request,
                        _(
                            "Đã lưu nội dung lúc %(t)s, nhưng có minh chứng không được nhận "
                            "(xem lý do ở từng nhiệm vụ)."
                        )
                        % {"t": saved_at},
                    )
                    form = ReportForm(
                        report=AgencyReport.objects.get(pk=report.pk),
                        entries=list(report.entries.order_by("order")),
                    )
                    facts_forms = None
                else:
                    msg = _("Đã lưu lúc %(t)s.") % {"t": saved_at}
                    if added:
                        msg += " " + _("Đã thêm %(n)s minh chứng.") % {"n": added}
                    messages.success(request, msg)
                    action = request.POST.get("next")
                    if action in ("send", "hand_over"):
                        return _move_after_save(request, report, action)
                    target = action == "detail"
                    return redirect(
                        "reporting:report_detail" if target else "reporting:report_edit", report.pk
                    )
    elif rescued is not None:
        form = ReportForm(rescued, report=report, entries=list(report.entries.order_by("order")))
        facts_forms = None  # the rescued text only: documents, events and funding come from the saved report
    else:
        return _report_edit_page(request, report)
    if request.method != "POST":
        figures = None
    report = report_for_page(report=report)
    if form is not None:
        form.entries = list(
            report.entries.all()
        )  # the same ids, now with tasks, evidence and remarks for the cards
    context = _report_edit_context(request, report, form=form, facts_forms=facts_forms, figures=figures)
    context.update(stale=stale, upload_errors=upload_errors, rescued=rescued is not None)
    context["autosave_user"] = request.user.pk
    status = 409 if stale else 200
    return render(request, "reporting/report_edit.html", context, status=status)


def _report_edit_context(request, report: AgencyReport, *, form=None, facts_forms=None, figures=None) -> dict:
    """What the report form's body shows; unbound forms of the report as saved unless given."""
    if facts_forms is None:
        facts_forms = ReportFactsForms(report=report, entries=list(report.entries.all()))
    if form is None:
        form = ReportForm(report=report, entries=list(report.entries.all()))
    context = _report_context(request, report)
    context.update(
        form=form,
        facts_forms=facts_forms,
        stale=None,
        upload_errors={},
        max_bytes=MAX_EVIDENCE_BYTES,
        signed_form=SignedReportForm(),
        tab="edit",
        rescued=False,
    )
    if figures is not None:
        context["figures"] = figures  # bound: what was typed, with the errors
    context["figures_editable"] = bool(context["figures"])
    return context


def _report_edit_uncached(request, report: AgencyReport):
    context = _report_edit_context(request, report_for_page(report=report))
    context["autosave_user"] = request.user.pk
    return render(request, "reporting/report_edit.html", context)


def _report_edit_page(request, report: AgencyReport):
    """A clean GET of the report form. Its body is the same for every user with the same rights on the report, so
    it is rendered once per version of everything it shows and kept in the cache (``core.page_cache``): the
    report's own version and last change (every write to it, its entries, facts, evidence and proposals saves
    the report), the cycle's token (its reports, entries, submissions: the partners' entries), the plan's (tasks,
    assignments, amendments), its figures', its reports' (deadlines) and the agencies'; per user, what decides
    what they see: the predicates the page uses and what they may see of figures; per day (deadlines, lateness).
    The CSRF token and the user's id (the key of the copy kept in the browser) are put in per request."""
    plan = report.cycle.plan
    user = request.user
    member = is_member_of(user, report.agency_id)
    rights = (
        member,
        can_edit(user, report),
        can_submit(user, report),
        can_hand_over(user, report),
        can_hand_back(user, report),
        can_review(user, report),
        can_decide_proposals(user, report),
        figures_vary(user=user, report=report),
    )
    if rights[-1] is None:  # the figures cannot say what they vary on: not cached
        return _report_edit_uncached(request, report)
    csrf_mark, user_mark = request_mark("csrf"), request_mark("user")

    def render_body():
        # Rendered without the request: no context processor, so nothing of the user can land in the cached body.
        full = report_for_page(report=report)  # read again with everything the page shows
        context = _report_edit_context(request, full)
        context.update(csrf_token=csrf_mark, autosave_user=user_mark)
        return render_to_string("reporting/_report_edit_body.html", context)

    body, _hit = cached_body(
        "report-edit",
        versions=tokens(
            cycle_key(report.cycle_id),
            plan_key(plan.pk),
            plan_figures_key(plan.pk),
            plan_reports_key(plan.pk),
            ORGS_KEY,
        ),
        parts=(
            report.pk,
            report.version,
            report.state,
            report.updated_at.isoformat(),
            timezone.localdate().isoformat(),
            rights,
        ),
        render=render_body,
    )
    return page_with_body(
        request,
        "reporting/report_edit.html",
        {"report": report, "cycle": report.cycle},
        body,
        fill={csrf_mark: get_token(request), user_mark: str(user.pk)},
    )


def _move_after_save(request, report: AgencyReport, action: str):
    """After "Lưu và gửi" / "Lưu và trình lãnh đạo" saved the typed edits: move the report from the version just
    saved. A refusal keeps the save (the text is on the server) and says why, with what is still empty listed on
    the form, each item linked to its field."""
    report = AgencyReport.objects.select_related("cycle__plan__coordinator_agency", "agency").get(
        pk=report.pk
    )
    try:
        if action == "send":
            services.report_send(actor=request.user, report=report, version=report.version)
        else:
            services.report_hand_over(actor=request.user, report=report, version=report.version)
    except IncompleteReportError as exc:
        messages.error(request, _("Đã lưu nhưng chưa gửi được: ") + str(exc))
        return redirect(reverse("reporting:report_edit", args=[report.pk]) + "#checklist-title")
    except ReportingError as exc:
        messages.error(request, _("Đã lưu nhưng chưa chuyển được báo cáo: ") + str(exc))
        return redirect("reporting:report_edit", report.pk)
    report.refresh_from_db()
    if action == "send":
        _sent_message(request, report)
    else:
        messages.success(request, _("Đã trình lãnh đạo đơn vị. Lãnh đạo đã nhận được thông báo."))
    return redirect("reporting:report_detail", report.pk)


def _sent_message(request, report: AgencyReport) -> None:
    if report.is_late:
        messages.warning(
            request,
            _("Đã gửi báo cáo. Báo cáo được ghi nhận là nộp muộn (sau hạn %(due)s).")
            % {"due": report.cycle.due_date.strftime("%d/%m/%Y")},
        )
    else:
        messages.success(
            request,
            _("Đã gửi báo cáo tới %(dept)s.") % {"dept": report.cycle.plan.coordinator_agency.name},
        )


@login_required_json_keeping_post(lambda pk: reverse("reporting:report_edit", args=[pk]))
@require_POST
def report_autosave(request, pk: int):
    """The edit form's autosave: the same save service as "Lưu bản nháp", with the version the page holds.
    Answers JSON: 200 with the new version, 409 when someone saved in between (nothing written), 400 for invalid
    fields, 403 when the report may not be edited now, 401 when signed out (the fields are then kept for the edit
    page, as a posted form is)."""
    report = report_get_for_user(user=request.user, pk=pk)
    if not can_edit(request.user, report):
        return JsonResponse(
            {
                "message": _("Báo cáo đang ở trạng thái “%(state)s”, không thể sửa.")
                % {"state": report.get_state_display().lower()}
            },
            status=403,
        )
    form = ReportForm(request.POST, report=report, entries=list(report.entries.order_by("order")))
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()] or [
            _("Có trường nhập chưa hợp lệ; bấm “Lưu bản nháp” để xem chi tiết.")
        ]
        return JsonResponse({"message": " ".join(errors)}, status=400)
    try:
        report = services.report_save_draft(
            actor=request.user,
            report=report,
            version=form.cleaned_data["version"],
            sections=form.section_values(),
            entries=form.entry_values(),
            data_as_of=form.cleaned_data["data_as_of"],
            reason=_("Tự động lưu"),
        )
    except StaleReportError as exc:
        return JsonResponse(
            {"message": str(exc), "conflict": True, "current_version": exc.current.version}, status=409
        )
    except ReportingError as exc:
        return JsonResponse({"message": str(exc)}, status=400)
    return JsonResponse(
        {
            "version": report.version,
            "message": _("Đã tự động lưu lúc %(t)s.")
            % {"t": timezone.localtime(report.last_saved_at).strftime("%H:%M:%S")},
            "remaining": session_idle_remaining(request),
        }
    )


@require_POST
def report_signed_upload(request, pk: int):
    """The head may attach the signed official report (PDF) to the report as a whole."""
    report = report_get_for_user(user=request.user, pk=pk, write=True)
    form = SignedReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add_file(
                actor=request.user,
                report=report,
                upload=form.cleaned_data["file"],
                title=_("Văn bản báo cáo đã ký"),
            )
        except ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã đính kèm văn bản báo cáo đã ký."))
    else:
        messages.error(request, _("Chưa chọn tệp."))
    return redirect("reporting:report_edit", report.pk)


@require_POST
def report_submit(request, pk: int):
    report = report_get_for_submit(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("reporting:report_detail", report.pk)
    try:
        services.report_send(actor=request.user, report=report, version=form.cleaned_data["version"])
    except ReportingError as exc:
        messages.error(request, str(exc))
    else:
        report.refresh_from_db()
        _sent_message(request, report)
    return redirect("reporting:report_detail", report.pk)


@require_POST
def report_hand_over(request, pk: int):
    """ "Trình lãnh đạo" from the report page (the edit form has "Lưu và trình lãnh đạo")."""
    report = report_get_for_user(user=request.user, pk=pk)
    if not can_hand_over(request.user, report):
        raise PermissionDenied
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("reporting:report_detail", report.pk)
    try:
        services.report_hand_over(
            actor=request.user,
            report=report,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã trình lãnh đạo đơn vị. Lãnh đạo đã nhận được thông báo."))
    return redirect("reporting:report_detail", report.pk)


@require_POST
def report_hand_back(request, pk: int):
    """ "Trả lại chuyên viên": the head, with a comment."""
    report = report_get_for_submit(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("reporting:report_detail", report.pk)
    try:
        services.report_hand_back(
            actor=request.user,
            report=report,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã trả lại báo cáo cho chuyên viên."))
    return redirect("reporting:report_detail", report.pk)


def report_return(request, pk: int):
    report = report_get_for_review(user=request.user, pk=pk)
    if report.state != ReportState.SUBMITTED:
        messages.error(request, _("Chỉ trả lại được báo cáo đã gửi."))
        return redirect("reporting:report_detail", report.pk)
    report = report_for_page(report=report)
    entries = list(report.entries.all())
    form = ReturnForm(request.POST or None, report=report, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_return(
                actor=request.user,
                report=report,
                comment=form.cleaned_data["comment"],
                entry_comments=form.entry_comments(),
                version=form.cleaned_data["version"],
            )
        except ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Đã trả lại báo cáo cho %(agency)s.") % {"agency": report.agency.name}
            )
            return redirect("reporting:cycle_detail", report.cycle_id)
    context = _report_context(request, report)
    context.update(form=form, tab="review")
    return render(request, "reporting/report_return.html", context)


@require_POST
def report_accept(request, pk: int):
    report = report_get_for_review(user=request.user, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("reporting:report_detail", report.pk)
    try:
        services.report_accept(
            actor=request.user,
            report=report,
            version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except ReportingError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:report_detail", report.pk)
    messages.success(request, _("Đã tiếp nhận báo cáo của %(agency)s.") % {"agency": report.agency.name})
    return redirect("reporting:cycle_detail", report.cycle_id)


@require_POST
def report_proposals_decide(request, pk: int):
    """The department includes proposals to higher bodies in the consolidated report and answers the others."""
    report = report_get_for_user(user=request.user, pk=pk)
    if not can_decide_proposals(request.user, report):
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST, proposals=list(report.proposal_items.all()))
    if form.is_valid():
        try:
            services.proposals_decide(
                actor=request.user, report=report, include=form.included(), answers=form.answers()
            )
        except ReportingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã lưu việc xử lý kiến nghị."))
    return redirect(f"{reverse('reporting:report_detail', args=[report.pk])}#kien-nghi")


def submission_detail(request, pk: int, number: int):
    """Exactly what was sent at one submission (the accepted one is what consolidation reads)."""
    report = report_get_for_user(user=request.user, pk=pk)
    submission = report.submissions.select_related("submitted_by").filter(number=number).first()
    if submission is None:
        raise Http404
    return render(
        request,
        "reporting/submission_detail.html",
        {
            "report": report,
            "cycle": report.cycle,
            "submission": submission,
            "snap": submission.snapshot,
            "accepted": report.accepted_submission_id == submission.pk,
            "figures": report_figures(user=request.user, report=report),
            "figures_reason": figures_read_only_reason(
                report, member=is_member_of(request.user, report.agency_id)
            ),
        },
    )


# --- Excel ----------------------------------------------------------------------------------------------------


def report_xlsx(request, pk: int):
    report = report_get_for_user(user=request.user, pk=pk)
    content = report_xlsx_build(report)
    name = f"bao-cao-{report.cycle.year}-{report.agency.pk}-v{report.version}.xlsx"
    security_event_record(
        actor=request.user,
        action=SecurityAction.EXPORT,
        request=request,
        target=str(report),
        detail={"format": "xlsx"},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_xlsx_upload(request, pk: int):
    report = report_get_for_user(user=request.user, pk=pk, write=True)
    form = XlsxUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_import_xlsx(
                actor=request.user, report=report, upload=form.cleaned_data["file"]
            )
        except XlsxImportError as exc:
            problems = exc.problems
        except ReportingError as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request,
                _("Đã nhập nội dung từ tệp Excel lúc %(t)s.")
                % {"t": timezone.localtime(report.last_saved_at).strftime("%H:%M:%S")},
            )
            return redirect("reporting:report_edit", report.pk)
    return render(
        request,
        "reporting/report_xlsx_upload.html",
        {
            "report": report,
            "cycle": report.cycle,
            "form": form,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


# --- Evidence -------------------------------------------------------------------------------------------------


def evidence_download(request, pk: int):
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    if evidence.kind == EvidenceKind.LINK:
        return redirect(evidence.url)
    download = services.evidence_open(actor=request.user, evidence=evidence, request=request)
    response = FileResponse(
        download.file, as_attachment=True, filename=download.filename, content_type=download.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def evidence_delete(request, pk: int):
    evidence = evidence_get_for_user(user=request.user, pk=pk, write=True)
    report_id = evidence.report_id
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ReportingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xóa minh chứng."))
    return redirect("reporting:report_edit", report_id)
