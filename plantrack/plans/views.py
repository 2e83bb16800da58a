from django.shortcuts import render

from .permissions import plan_get_for_user


def plan_detail(request, pk: int):
    plan = plan_get_for_user(user=request.user, pk=pk)
    return render(request, "plans/plan_detail.html", {"plan": plan})


def plan_matrix(request, pk: int):
    plan = plan_get_for_user(user=request.user, pk=pk)
    return render(request, "plans/plan_matrix.html", {"plan": plan})
