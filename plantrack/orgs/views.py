from django.shortcuts import get_object_or_404, render

from plantrack.plans.selectors import agency_tasks

from .models import Agency


def agency_list(request):
    agencies = Agency.objects.select_related("parent").order_by("kind", "name")
    return render(request, "orgs/agency_list.html", {"agencies": agencies})


def agency_detail(request, pk: int):
    # The registry is not confidential: every signed-in user may read any agency and what it owes.
    agency = get_object_or_404(Agency.objects.select_related("parent"), pk=pk)
    return render(request, "orgs/agency_detail.html", {"agency": agency, "tasks": agency_tasks(agency=agency)})
