"""Pages of inspection. Thin: permission-checked getters, one service per write, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plantrack.accounts.permissions import coordinated_plans_q, is_agency_member, is_member_of
from plantrack.core.lists import export_format, paginate, table_export
from plantrack.core.text import vi_sort_key
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan

from . import services
from .forms import CloseForm, InspectionPlanForm, RecommendationForm, ReopenForm, ResponseForm, VisitForm
from .models import InspectionPlan, Recommendation, RecommendationState, Visit
from .permissions import (
    can_manage,
    can_respond,
    evidence_get_for_user,
    inspection_get_for_user,
    may_create_inspection,
    may_open_inspection,
    recommendation_get_for_user,
    visit_get_for_user,
)
from .services import InspectionError


def _agencies(day):
    return Agency.objects.valid_on(day).order_by("sort_key", "pk")


def index(request):
    """Inspection plans the user may see and, for an agency, the recommendations it owes."""
    if not may_open_inspection(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    inspections = (
        InspectionPlan.objects.for_user(request.user)
        .select_related("plan")
        .annotate(
            n_visits=Count("visits", distinct=True),
            n_open=Count(
                "visits__recommendations", filter=~Q(visits__recommendations__state="closed"), distinct=True
            ),
        )
        .order_by("-year", "-pk")
    )
    recommendations = []
    if is_agency_member(request.user):
        recommendations = (
            Recommendation.objects.for_user(request.user)
            .select_related("visit__agency", "visit__inspection")
            .order_by("state", "deadline")
        )
    fmt = export_format(request)
    if fmt and request.GET.get("bang") == "kien-nghi":
        return table_export(
            fmt=fmt,
            filename="kien-nghi-sau-kiem-tra",
            title=_("Kiến nghị"),
            headers=[_("Đơn vị"), _("Nội dung kiến nghị"), _("Thời hạn"), _("Trạng thái"), _("Quá hạn")],
            rows=(
                [
                    r.visit.agency.name,
                    r.text,
                    r.deadline,
                    r.get_state_display(),
                    _("Quá hạn") if r.state != RecommendationState.CLOSED and r.deadline < today else "",
                ]
                for r in recommendations
            ),
        )
    if fmt:
        return table_export(
            fmt=fmt,
            filename="ke-hoach-kiem-tra",
            title=_("Kế hoạch kiểm tra"),
            headers=[
                _("Năm"),
                _("Kế hoạch kiểm tra"),
                _("Số"),
                _("Ngày"),
                _("Kế hoạch được kiểm tra"),
                _("Đợt kiểm tra"),
                _("Kiến nghị chưa đóng"),
            ],
            rows=(
                [i.year, i.title, i.number, i.document_date, i.plan.code, i.n_visits, i.n_open]
                for i in inspections
            ),
        )
    page = paginate(request, inspections)
    return render(
        request,
        "inspection/index.html",
        {
            "inspections": page.object_list,
            "page": page,
            "recommendations": recommendations,
            "today": today,
            "may_create": may_create_inspection(request.user),
        },
    )


def inspection_create(request):
    if not may_create_inspection(request.user):
        raise PermissionDenied
    plans = Plan.objects.filter(coordinated_plans_q(request.user)).order_by("-issued_on", "pk")
    plan_id = request.GET.get("ke_hoach") or request.POST.get("plan")
    plan = plans.filter(pk=plan_id).first() if str(plan_id or "").isdigit() else plans.first()
    if plan is None:
        raise Http404
    today = timezone.localdate()
    form = InspectionPlanForm(request.POST or None, agencies=_agencies(today), initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agencies = data.pop("agencies")
        try:
            inspection = services.inspection_plan_create(
                actor=request.user, plan=plan, agencies=agencies, **data
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lập kế hoạch kiểm tra."))
            return redirect("inspection:detail", inspection.pk)
    return render(request, "inspection/inspection_form.html", {"form": form, "plan": plan, "plans": plans})


def inspection_detail(request, pk: int):
    inspection = inspection_get_for_user(user=request.user, pk=pk)
    visits = (
        Visit.objects.for_user(request.user)
        .filter(inspection=inspection)
        .select_related("agency")
        .prefetch_related("recommendations")
    )
    return render(
        request,
        "inspection/detail.html",
        {
            "inspection": inspection,
            "agencies": sorted(inspection.agencies.all(), key=lambda a: vi_sort_key(a.name)),
            "visits": visits,
            "manage": can_manage(request.user, inspection),
            "today": timezone.localdate(),
        },
    )


def inspection_edit(request, pk: int):
    inspection = inspection_get_for_user(user=request.user, pk=pk, manage=True)
    # Agencies dissolved since the inspection was planned stay choosable on it.
    agencies = (
        _agencies(timezone.localdate()) | Agency.objects.filter(pk__in=inspection.agencies.values("pk"))
    ).distinct()
    form = InspectionPlanForm(
        request.POST or None, instance=inspection, agencies=agencies.order_by("sort_key", "pk")
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.INSPECTION_FIELDS}
        try:
            services.inspection_plan_update(
                actor=request.user, inspection=inspection, agencies=form.cleaned_data["agencies"], **data
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu kế hoạch kiểm tra."))
            return redirect("inspection:detail", inspection.pk)
    return render(
        request,
        "inspection/inspection_form.html",
        {"form": form, "plan": inspection.plan, "inspection": inspection},
    )


def _visit_form_page(request, *, inspection, visit=None):
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        instance=visit,
        agencies=inspection.agencies.order_by("sort_key", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.VISIT_FIELDS}
        minutes = form.cleaned_data.get("minutes_file")
        try:
            if visit is None:
                visit = services.visit_create(
                    actor=request.user, inspection=inspection, minutes=minutes, **values
                )
            else:
                visit = services.visit_update(actor=request.user, visit=visit, minutes=minutes, **values)
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu đợt kiểm tra."))
            return redirect("inspection:visit_detail", visit.pk)
    return render(
        request, "inspection/visit_form.html", {"form": form, "inspection": inspection, "visit": visit}
    )


def visit_create(request, pk: int):
    inspection = inspection_get_for_user(user=request.user, pk=pk, manage=True)
    return _visit_form_page(request, inspection=inspection)


def visit_edit(request, pk: int):
    visit = visit_get_for_user(user=request.user, pk=pk, manage=True)
    return _visit_form_page(request, inspection=visit.inspection, visit=visit)


def visit_detail(request, pk: int):
    visit = visit_get_for_user(user=request.user, pk=pk)
    manage = can_manage(request.user, visit.inspection)
    return render(
        request,
        "inspection/visit_detail.html",
        {
            "visit": visit,
            "inspection": visit.inspection,
            "recommendations": visit.recommendations.all(),
            "manage": manage,
            "form": RecommendationForm() if manage else None,
            "today": timezone.localdate(),
        },
    )


def visit_minutes(request, pk: int):
    visit = visit_get_for_user(user=request.user, pk=pk)
    if not visit.minutes:
        raise Http404
    handle = services.stored_file_open(
        actor=request.user, name=visit.minutes.name, file=visit.minutes, target=str(visit), request=request
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=visit.minutes_name or "bien-ban",
        content_type=visit.minutes_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def recommendation_create(request, pk: int):
    visit = visit_get_for_user(user=request.user, pk=pk, manage=True)
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_issue(
                actor=request.user, visit=visit, **form.cleaned_data
            )
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi kiến nghị và thông báo cho đơn vị."))
            return redirect("inspection:recommendation_detail", recommendation.pk)
    return render(
        request,
        "inspection/visit_detail.html",
        {
            "visit": visit,
            "inspection": visit.inspection,
            "recommendations": visit.recommendations.all(),
            "manage": True,
            "form": form,
            "today": timezone.localdate(),
        },
    )


def recommendation_detail(request, pk: int, *, forms: dict | None = None):
    recommendation = recommendation_get_for_user(user=request.user, pk=pk)
    manage = can_manage(request.user, recommendation.visit.inspection)
    respond = can_respond(request.user, recommendation)
    forms = forms or {}
    context = {
        "recommendation": recommendation,
        "visit": recommendation.visit,
        "inspection": recommendation.visit.inspection,
        "events": recommendation.events.select_related("actor"),
        "evidence": recommendation.evidence.all(),
        "manage": manage,
        "respond": respond,
        "states": RecommendationState,
        "today": timezone.localdate(),
        "response_form": forms.get("respond") or (ResponseForm() if respond else None),
        "close_form": forms.get("close") or (CloseForm() if manage else None),
        "reopen_form": forms.get("reopen") or (ReopenForm() if manage else None),
        "overdue": recommendation.is_overdue(timezone.localdate()),
    }
    return render(request, "inspection/recommendation_detail.html", context, status=400 if forms else 200)


def _transition(request, pk: int, *, key: str, form_class, run, done: str, files: bool = False):
    """One POST of the recommendation page: 403 for whoever may see it but not act, 400 with the page and the
    form's errors for a refused form, a redirect when done."""
    recommendation = recommendation_get_for_user(user=request.user, pk=pk)
    if key == "respond":
        allowed = is_member_of(request.user, recommendation.visit.agency_id)
    else:
        allowed = can_manage(request.user, recommendation.visit.inspection)
    if not allowed:
        raise PermissionDenied
    form = form_class(request.POST, request.FILES) if files else form_class(request.POST)
    if form.is_valid():
        try:
            run(recommendation, form.cleaned_data)
        except InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("inspection:recommendation_detail", recommendation.pk)
    return recommendation_detail(request, pk, forms={key: form})


@require_POST
def recommendation_respond(request, pk: int):
    return _transition(
        request,
        pk,
        key="respond",
        form_class=ResponseForm,
        files=True,
        done=_("Đã gửi báo cáo khắc phục."),
        run=lambda r, data: services.recommendation_respond(
            actor=request.user, recommendation=r, text=data["text"], files=data["files"]
        ),
    )


@require_POST
def recommendation_close(request, pk: int):
    return _transition(
        request,
        pk,
        key="close",
        form_class=CloseForm,
        done=_("Đã đóng kiến nghị."),
        run=lambda r, data: services.recommendation_close(
            actor=request.user, recommendation=r, comment=data["comment"]
        ),
    )


@require_POST
def recommendation_reopen(request, pk: int):
    return _transition(
        request,
        pk,
        key="reopen",
        form_class=ReopenForm,
        done=_("Đã mở lại kiến nghị."),
        run=lambda r, data: services.recommendation_reopen(
            actor=request.user, recommendation=r, comment=data["comment"], deadline=data["deadline"]
        ),
    )


def evidence_download(request, pk: int):
    evidence = evidence_get_for_user(user=request.user, pk=pk)
    handle = services.stored_file_open(
        actor=request.user,
        name=evidence.file.name,
        file=evidence.file,
        target=str(evidence.recommendation),
        request=request,
    )
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
