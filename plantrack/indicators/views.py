import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import (
    coordinated_plans_q,
    is_agency_member,
    is_coordinator_of,
    member_agency_ids,
)
from plantrack.core.lists import export_format, table_export
from plantrack.core.page_cache import cached_body, page_with_body
from plantrack.core.versions import ORGS_KEY, plan_figures_key, plan_key, plan_reports_key, tokens
from plantrack.orgs.models import Agency
from plantrack.plans.models import QUALITATIVE_NOTE, Comparator, Plan, Target
from plantrack.plans.permissions import plan_get_for_user

from .charts import target_chart
from .forms import DefinitionSettingsForm, FigureEntry, measure_forms, measure_spec
from .labels import goal_text
from .models import IndicatorDefinition, YearlyFigure
from .permissions import definition_get_for_user, target_get_for_user, user_may_enter
from .querysets import figure_visibility_key
from .selectors import (
    entry_series,
    plan_indicator_views,
    plan_scorecard,
    scorecard_default_year,
    target_indicator_view,
    target_verdict,
)
from .services import FIRST_YEAR, definition_update
from .setup import measurement_set


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("nam", default))
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= datetime.date.today().year + 10 else default


def _year_choices() -> list[int]:
    return list(range(datetime.date.today().year, 2019, -1))


def index(request):
    """The scorecard of the only plan, or the list of plans to choose from."""
    plans = list(Plan.objects.for_user(request.user))
    if len(plans) == 1:
        return redirect("indicators:scorecard", plan_pk=plans[0].pk)
    return render(request, "indicators/index.html", {"plans": plans})


def scorecard(request, plan_pk: int):
    """The plan's targets in a year. The page's body is the same for every user who sees the same figures
    (``figure_visibility_key``) with the same rights: it is rendered once per version of the plan, its figures,
    its reports and the agencies, per key, query string and day, and served from the cache after that
    (``core.page_cache``); the export is never cached."""
    plan = plan_get_for_user(user=request.user, pk=plan_pk)
    fmt = export_format(request)
    if fmt:
        year = _year(request, scorecard_default_year(plan=plan, user=request.user))
        rows = plan_scorecard(plan=plan, user=request.user, year=year)
        return table_export(
            fmt=fmt,
            filename=f"chi-tieu-{plan.code}-{year}",
            title=_("Chỉ tiêu %(year)s") % {"year": year},
            headers=[
                _("Mã"),
                _("Chỉ tiêu"),
                _("Mục tiêu"),
                _("Năm %(y)s") % {"y": year - 1},
                _("Năm %(y)s") % {"y": year},
                _("Tình trạng"),
                _("Dự báo năm đích"),
            ],
            rows=(_scorecard_export_row(r) for row in rows for r in [row, *row.parts]),
        )
    may_enter = is_agency_member(request.user) or is_coordinator_of(request.user, plan)
    is_coordinator = is_coordinator_of(request.user, plan)
    computed: dict = {}

    def render_body() -> str:
        year = _year(request, scorecard_default_year(plan=plan, user=request.user))
        rows = plan_scorecard(plan=plan, user=request.user, year=year)
        has_demo = any(r.view and r.view.has_demo for r in rows) or any(
            p.view and p.view.has_demo for r in rows for p in r.parts
        )
        computed.update(year=year, rows=rows)
        context = {
            "plan": plan,
            "year": year,
            "rows": rows,
            "years": _year_choices(),
            "has_demo": has_demo,
            "may_enter": may_enter,
            "is_coordinator": is_coordinator,
        }
        # the request is there for the export links' query string, which the key carries
        return render_to_string("indicators/_scorecard_body.html", context, request=request)

    body, _hit = cached_body(
        "scorecard",
        versions=tokens(plan_key(plan.pk), plan_figures_key(plan.pk), plan_reports_key(plan.pk), ORGS_KEY),
        parts=(
            plan.pk,
            figure_visibility_key(request.user, plan),
            may_enter,
            is_coordinator,
            datetime.date.today().isoformat(),
        ),
        querystring=request.GET.urlencode(),
        render=render_body,
    )
    return page_with_body(
        request,
        "indicators/scorecard.html",
        {"plan": plan, "year": computed.get("year"), "rows": computed.get("rows")},
        body,
    )


def _scorecard_export_row(row) -> list:
    """One scorecard line as the page shows it: words for the status and the projection, numbers as text."""
    projection = ""
    p = row.view.projection if row.view else None
    if p and p.value is not None:
        projection = row.view.fmt(p.value)
        if p.meets:
            projection += " (" + _("dự báo đạt") + ")"
        elif p.meets is False:
            projection += " (" + _("dự báo không đạt") + ")"
    elif row.view:
        projection = _("chưa đủ số liệu")
    return [
        row.target.code,
        row.target.short_name or row.target.text,
        goal_text(row.target),
        row.previous_text,
        row.value_text,
        str(QUALITATIVE_NOTE) if row.target.is_qualitative else str(row.verdict.label),
        projection,
    ]


def target_detail(request, pk: int):
    target = target_get_for_user(user=request.user, pk=pk)
    if target.comparator == Comparator.COMPOUND:
        parts = list(target.parts.all())
        views = plan_indicator_views(plan=target.plan, user=request.user, targets=parts)
        year = _year(request, scorecard_default_year(plan=target.plan, user=request.user))
        part_rows = [(p, views.get(p.pk), target_verdict(p, views.get(p.pk), year)) for p in parts]
        return render(
            request,
            "indicators/target_compound.html",
            {"target": target, "plan": target.plan, "year": year, "part_rows": part_rows},
        )
    view = target_indicator_view(target=target, user=request.user)
    rows = []
    history = []
    if view is not None:
        for year, point in sorted(view.points.items()):
            rows.append(
                {
                    "point": point,
                    "verdict": view.verdict(year),
                    "cumulative": view.cumulative(year)
                    if view.is_cumulative and point.value is not None
                    else None,
                }
            )
        # Only the history of figures this user may see: a draft figure's earlier values stay with its agency.
        visible = [f.pk for point in view.points.values() for f in point.figures]
        history = (
            YearlyFigure.history.filter(id__in=visible)
            .select_related("history_user", "component")
            .order_by("-history_date")[:30]
        )
    latest_year = max(view.series) if view and view.series else None
    return render(
        request,
        "indicators/target_detail.html",
        {
            "target": target,
            "plan": target.plan,
            "view": view,
            "rows": rows,
            "history": history,
            "latest": view.verdict(latest_year) if latest_year else None,
            "is_coordinator": is_coordinator_of(request.user, target.plan),
            "may_enter": bool(view)
            and any(
                user_may_enter(request.user, s)
                for s in (
                    view.definition.components.all() if view.definition.is_computed else [view.definition]
                )
            ),
        },
    )


def _chart(request, pk: int, fmt: str) -> HttpResponse:
    target = target_get_for_user(user=request.user, pk=pk)
    view = target_indicator_view(target=target, user=request.user)
    if view is None:
        raise Http404
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = HttpResponse(target_chart(view, fmt=fmt), content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    if fmt == "png" and request.GET.get("tai-ve"):
        response["Content-Disposition"] = f'attachment; filename="chi-tieu-{target.code}.png"'
    return response


def target_chart_svg(request, pk: int):
    return _chart(request, pk, "svg")


def target_chart_png(request, pk: int):
    return _chart(request, pk, "png")


def figure_entry(request):
    """Agency members: the figures their agency provides for a year. Coordinators: every figure of the plans they
    coordinate, optionally narrowed to one providing agency."""
    user = request.user
    plans = list(Plan.objects.for_user(user).filter(coordinated_plans_q(user)))
    if not plans and not is_agency_member(user):
        raise Http404
    default_year = datetime.date.today().year - 1
    year = _year(request, default_year)
    # A member of several agencies (accounts.Membership) sees each agency's series; user_may_enter keeps them honest.
    own = member_agency_ids(user)
    agency_id = None if plans or len(own) != 1 else next(iter(own))
    providers = []
    if plans:
        providers = list(
            Agency.objects.filter(indicators_provided__isnull=False).distinct()
            | Agency.objects.filter(indicator_components_provided__isnull=False).distinct()
        )
        try:
            agency_id = int(request.GET.get("co-quan") or 0) or None
        except ValueError:
            agency_id = None
    rows = [
        r for r in entry_series(user=user, year=year, agency_id=agency_id) if user_may_enter(user, r.series)
    ]
    entry = FigureEntry(
        user=user, year=year, rows=rows, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        saved = entry.save()
        if not entry.has_errors:
            messages.success(request, _("Đã lưu %(n)s số liệu năm %(year)s.") % {"n": saved, "year": year})
            return redirect(request.get_full_path())
        if saved:
            messages.info(
                request, _("Đã lưu %(n)s số liệu; các dòng báo lỗi bên dưới chưa được lưu.") % {"n": saved}
            )
        else:
            messages.error(request, _("Chưa lưu được: hãy sửa các dòng báo lỗi bên dưới."))
    return render(
        request,
        "indicators/figure_entry.html",
        {
            "entry": entry,
            "year": year,
            "years": _year_choices(),
            "providers": sorted(set(providers), key=lambda a: a.name),
            "agency_id": agency_id,
            "is_coordinator": bool(plans),
        },
        status=400 if entry.has_errors else 200,
    )


def definition_edit(request, pk: int):
    definition = definition_get_for_user(user=request.user, pk=pk, write=True)
    form = DefinitionSettingsForm(request.POST or None, instance=definition)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        definition.refresh_from_db()
        try:
            definition_update(actor=request.user, definition=definition, **changes)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("Đã lưu cách đo chỉ tiêu %(code)s.") % {"code": definition.target.code}
            )
            return redirect("indicators:target", pk=definition.target_id)
    return render(
        request,
        "indicators/definition_edit.html",
        {"form": form, "definition": definition, "target": definition.target},
    )


# --- measurement set-up ----------------------------------------------------------------------------------------


def measurement_setup(request, plan_pk: int):
    """Every target of the plan with how it is measured: what is set up, what is still missing."""
    plan = plan_get_for_user(user=request.user, pk=plan_pk)
    targets = list(
        Target.objects.filter(plan=plan)
        .select_related("parent", "indicator__provider")
        .prefetch_related("indicator__components")
        .order_by("order", "pk")
    )
    compound = {t.parent_id for t in targets if t.parent_id}
    rows = []
    for t in targets:
        definition = getattr(t, "indicator", None)
        rows.append(
            {
                "target": t,
                "definition": definition,
                "compound": t.pk in compound,
                "qualitative": t.is_qualitative and t.pk not in compound,
                "formula": definition.formula_in_words() if definition and definition.is_computed else "",
            }
        )
    missing = sum(1 for r in rows if r["definition"] is None and not r["compound"] and not r["qualitative"])
    return render(
        request,
        "indicators/measurement_setup.html",
        {
            "plan": plan,
            "rows": rows,
            "missing": missing,
            "is_coordinator": is_coordinator_of(request.user, plan),
            "qualitative_note": QUALITATIVE_NOTE,
        },
    )


def measurement_edit(request, pk: int):
    """Set up or change how one target is measured (the plan's coordinators only)."""
    target = target_get_for_user(user=request.user, pk=pk)
    if not is_coordinator_of(request.user, target.plan):
        raise Http404
    if target.parts.exists():
        messages.info(request, _("Chỉ tiêu ghép: thiết lập cách đo cho từng chỉ tiêu thành phần."))
        return redirect("indicators:setup", plan_pk=target.plan_id)
    if target.is_qualitative:
        messages.info(request, QUALITATIVE_NOTE)
        return redirect("indicators:setup", plan_pk=target.plan_id)
    definition = (
        IndicatorDefinition.objects.filter(target=target).prefetch_related("components__provider").first()
    )
    form, components, milestones = measure_forms(
        definition=definition, target=target, data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and all(f.is_valid() for f in (form, components, milestones)):
        try:
            definition = measurement_set(
                actor=request.user, target=target, spec=measure_spec(form, components, milestones)
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã lưu cách đo chỉ tiêu %(code)s.") % {"code": target.code})
            return redirect("indicators:setup", plan_pk=target.plan_id)
    return render(
        request,
        "indicators/measurement_edit.html",
        {
            "target": target,
            "plan": target.plan,
            "definition": definition,
            "form": form,
            "components": components,
            "milestones": milestones,
        },
        status=400 if request.method == "POST" else 200,
    )
