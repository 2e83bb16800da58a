"""Pages of the reporting regimes: cycles opened from a plan's regimes and the coordinator's ad hoc request (báo
cáo đột xuất). Thin, like views.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import coordinated_plans_q, is_coordinator_of
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan, Task
from plantrack.plans.responsibility import PlanResponsibility

from . import regimes, services
from .forms import AdHocRequestForm, RegimeOpenForm


def cycles_open_from_regime(request):
    """ "Mở kỳ báo cáo theo chế độ báo cáo": choose a plan the user coordinates and a year (GET), see what its
    regimes prescribe, then open the periods not yet open in one transaction (POST, through the service the
    ``open_cycles`` command uses; a second click opens nothing and says so). A plan without a regime is sent to
    the one-cycle form."""
    plans = (
        Plan.objects.for_user(request.user).filter(coordinated_plans_q(request.user)).order_by("-issued_on")
    )
    if not plans.exists():
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        data = request.POST
    elif "plan" in request.GET or "year" in request.GET:
        data = request.GET
    elif plans.count() == 1:  # one plan: straight to its preview for this year
        data = {"plan": plans.first().pk, "year": today.year}
    else:
        data = None
    form = RegimeOpenForm(data, plans=plans, initial={"year": today.year})
    context = {"form": form, "plan": None}
    if form.is_bound and form.is_valid():
        plan, year = form.cleaned_data["plan"], form.cleaned_data["year"]
        plan_regimes = list(plan.regimes.all())
        if request.method == "POST":
            _open_from_regime(request, plan=plan, year=year, has_regime=bool(plan_regimes))
            url = reverse("reporting:cycles_open_from_regime")
            return redirect(f"{url}?{urlencode({'plan': plan.pk, 'year': year})}")
        rows = regimes.regime_preview(plan=plan, year=year) if plan_regimes else []
        context |= {
            "plan": plan,
            "year": year,
            "plan_regimes": plan_regimes,
            "rows": rows,
            "to_open": sum(1 for r in rows if r.cycle is None),
            # "Báo cáo 6 tháng và năm": the yearly report covers the second half-year (regimes.regime_cycles).
            "second_half_in_year": {"half_yearly", "yearly"} <= {r.period for r in plan_regimes},
        }
    return render(request, "reporting/cycles_open_from_regime.html", context)


def _open_from_regime(request, *, plan: Plan, year: int, has_regime: bool) -> None:
    if not has_regime:
        messages.error(
            request,
            _("Kế hoạch %(plan)s chưa có chế độ báo cáo định kỳ: hãy mở từng kỳ báo cáo.")
            % {"plan": plan.code},
        )
        return
    try:
        opened = regimes.cycles_open_from_regime(actor=request.user, plan=plan, year=year)
    except services.ReportingError as exc:
        messages.error(request, str(exc))
        return
    except IntegrityError:  # another coordinator opened one of the periods between the preview and this click
        messages.error(
            request,
            _("Một kỳ báo cáo vừa được người khác mở; không mở thêm kỳ nào. Hãy xem lại danh sách dưới đây."),
        )
        return
    if not opened:
        messages.info(
            request,
            _(
                "Không mở thêm kỳ nào: mọi kỳ báo cáo năm %(year)s theo chế độ báo cáo của Kế hoạch %(plan)s đã được mở."
            )
            % {"year": year, "plan": plan.code},
        )
        return
    messages.success(
        request,
        _("Đã mở %(n)s kỳ báo cáo của Kế hoạch %(plan)s: %(labels)s.")
        % {"n": len(opened), "plan": plan.code, "labels": ", ".join(str(c.label) for c in opened)},
    )


def plan_page_hook(*, request, plan: Plan, tasks) -> dict:
    """The plan page's link to this page, for the plan's coordinators (``plans.views.PLAN_PAGE_HOOKS``)."""
    if not is_coordinator_of(request.user, plan):
        return {}
    url = reverse("reporting:cycles_open_from_regime")
    return {"regime_open_url": f"{url}?{urlencode({'plan': plan.pk, 'year': timezone.localdate().year})}"}


# The plan page caches its body per what hooks vary on: this link is shown to the plan's coordinators only.
plan_page_hook.vary = lambda *, request, plan: is_coordinator_of(request.user, plan)


def adhoc_create(request):
    """Step 1 chooses the plan (when the coordinator follows several); step 2 the request and its scope. The
    agencies offered are those that owe the plan's tasks today."""
    plans = Plan.objects.for_user(request.user).filter(coordinated_plans_q(request.user))
    if not plans.exists():
        raise PermissionDenied
    plan_id = request.POST.get("plan") or request.GET.get("plan")
    if plan_id is None and plans.count() == 1:
        plan_id = plans.first().pk
    if not plan_id:
        return render(request, "reporting/adhoc_create.html", {"plans": plans, "plan": None})
    if not str(plan_id).isdigit():
        raise Http404
    plan = get_object_or_404(plans, pk=plan_id)
    owed = PlanResponsibility(plan=plan, day=timezone.localdate()).owed()
    form = AdHocRequestForm(
        request.POST or None,
        agencies=Agency.objects.filter(pk__in=owed.keys()).order_by("sort_key", "pk"),
        tasks=Task.objects.filter(plan=plan).order_by("order"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            ad_hoc = services.adhoc_request_create(actor=request.user, plan=plan, **form.cleaned_data)
        except services.ReportingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã gửi yêu cầu báo cáo đột xuất tới %(n)s đơn vị.") % {"n": ad_hoc.cycle.reports.count()},
            )
            return redirect("reporting:cycle_detail", ad_hoc.cycle.pk)
    return render(request, "reporting/adhoc_create.html", {"plans": plans, "plan": plan, "form": form})
