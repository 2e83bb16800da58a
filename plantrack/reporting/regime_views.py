"""Pages of the reporting regimes: the coordinator's ad hoc request (báo cáo đột xuất). Thin, like views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.accounts.permissions import coordinated_plans_q
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan, Task
from plantrack.plans.responsibility import PlanResponsibility

from . import services
from .forms import AdHocRequestForm


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
        agencies=Agency.objects.filter(pk__in=owed.keys()).order_by("name"),
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
