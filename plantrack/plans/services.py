"""Writes of plans. Every plan is created (or replaced) here, whoever asks: the import review page, the
``import_plan`` and ``import_plan_json`` commands, ``load_default``.

``actor`` is the person who publishes; ``None`` means the command line or the embedded default (no person is
signed in there). A person's publishing is written to the security log; the plan's history rows carry the actor
in every case."""

from __future__ import annotations

from collections import Counter

from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext

from plantrack.security.services import security_event_record

from .interchange import PlanDataError, plan_from_dict
from .models import Plan, Target, Task
from .rules import Problem, plan_data_problems


class PlanPublishError(ValueError):
    """The plan data cannot be published; ``problems`` are every reason (structured), ``messages`` their texts."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))

    @property
    def messages(self) -> list[str]:
        return [p.message for p in self.problems]


def plan_attached_data(*, plan: Plan) -> dict[str, int]:
    """What outside the plan's own content keeps it from being deleted: ``{verbose name: count}`` of the rows
    that PROTECT the plan or its tasks (reporting cycles, report entries…). Empty when it can be replaced."""
    collector = Collector(using=router.db_for_write(Plan), origin=plan)
    try:
        collector.collect([plan])
    except (ProtectedError, RestrictedError) as exc:
        blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    else:
        return {}
    # Tasks PROTECT their own task groups; that is the plan's content, removed with it.
    counts = Counter(
        str(obj._meta.verbose_name)
        for obj in blocking
        if not (isinstance(obj, Task) and obj.plan_id == plan.pk)
    )
    return dict(sorted(counts.items()))


def _replace(*, plan: Plan, actor) -> None:
    attached = plan_attached_data(plan=plan)
    if attached:
        listed = ", ".join(f"{name} ({count})" for name, count in attached.items())
        raise PlanPublishError(
            [
                Problem(
                    "number",
                    gettext(
                        "Không thay được kế hoạch %(code)s: đã có dữ liệu gắn với kế hoạch này — %(attached)s. "
                        "Hãy công bố với số, ký hiệu khác."
                    )
                    % {"code": plan.code, "attached": listed},
                    code="plan_in_use",
                )
            ]
        )
    # Tasks PROTECT their groups, so remove the tasks before the plan cascade reaches the groups.
    for task in plan.tasks.all():
        task._history_user = actor
        task.delete()
    plan._history_user = actor
    plan.delete()


@transaction.atomic
def plan_publish(*, actor, data: dict, replace: bool = False) -> Plan:
    """Create the plan described by interchange ``data`` (``plantrack.plan/1``). All or nothing.

    Refuses (PlanPublishError, nothing saved) while the rulebook finds an error. With ``replace`` a plan with the
    same number, symbol and issuer is deleted first, unless data outside the plan (reports, cycles…) is attached
    to it: that is refused too, naming what is attached."""
    errors = [p for p in plan_data_problems(data, replace=replace) if p.is_error]
    if errors:
        raise PlanPublishError(errors)
    number, _, symbol = data["number"].partition("/")
    existing = list(
        Plan.objects.select_for_update().filter(
            number=number.strip(), symbol=symbol.strip(), issuer__name=data["issuer"]
        )
    )
    for old in existing:
        _replace(plan=old, actor=actor)
    try:
        plan = plan_from_dict(data)
    except PlanDataError as exc:
        raise PlanPublishError([Problem("", str(exc), code="interchange")]) from exc
    if actor is not None:
        # The rows were created by plain saves; name who did it in their history.
        Plan.history.filter(id=plan.pk).update(history_user=actor)
        Target.history.filter(plan_id=plan.pk).update(history_user=actor)
        Task.history.filter(plan_id=plan.pk).update(history_user=actor)
        security_event_record(
            actor=actor,
            action="plan_published",
            target=plan.code,
            detail={"plan": plan.pk, "replaced": len(existing)},
        )
    return plan
