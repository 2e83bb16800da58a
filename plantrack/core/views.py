from django.shortcuts import render

from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan, Task


def home(request):
    plans = Plan.objects.for_user(request.user).select_related("issuer", "coordinator_agency")
    return render(request, "core/home.html", {"plans": plans})


def search(request):
    query = request.GET.get("q", "").strip()
    agencies = Agency.objects.search(query)[:50] if query else []
    tasks = (
        Task.objects.filter(plan__in=Plan.objects.for_user(request.user)).search(query)
        .select_related("plan", "group")[:50]
        if query else []
    )
    return render(request, "core/search.html", {"query": query, "agencies": agencies, "tasks": tasks})
