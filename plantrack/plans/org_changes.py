"""What an organisation change means for plans, as a hook of ``plantrack.orgs.services`` (registered in
``PlansConfig.ready``): the preview lists the tasks assigned by name to the agencies the change ends.

Assignments themselves are not rewritten: they keep the name the plan was written with, and
``plans.responsibility`` follows the successions to whoever answers on a given day.
"""

from .models import Assignment


def assignments(spec) -> list[Assignment]:
    """The assignments naming one of the change's predecessors, by plan and task order."""
    return list(
        Assignment.objects.filter(agency_id__in=[a.pk for a in spec.predecessors])
        .select_related("task__plan", "agency")
        .order_by("task__plan", "task__order")
    )
