"""plan_publish: the one way a plan is created or replaced, checked by the one rulebook, with the actor recorded."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

from plantrack.plans.interchange import plan_to_dict
from plantrack.plans.models import Plan, Task
from plantrack.plans.rules import plan_data_problems
from plantrack.plans.services import PlanPublishError, plan_attached_data, plan_publish
from plantrack.reporting.models import ReportEntry, ReportingCycle
from plantrack.reporting.services import cycle_open
from plantrack.security.models import SecurityEvent


def _other_number(plan: Plan, number: str = "999/KH-UBND") -> dict:
    data = copy.deepcopy(plan_to_dict(plan))
    data["number"] = number
    return data


def test_an_existing_plan_is_an_error_of_the_rulebook_not_only_of_publishing(default_data):
    problems = plan_data_problems(plan_to_dict(default_data))
    assert [(p.code, p.path, p.severity) for p in problems if p.is_error] == [
        ("plan_exists", "number", "error")
    ]
    assert "386/KH-UBND" in problems[0].message and "đã có trong hệ thống" in problems[0].message
    # Replacing is allowed by the rulebook; the same data with another number is clean.
    assert not [p for p in plan_data_problems(plan_to_dict(default_data), replace=True) if p.is_error]
    assert not [p for p in plan_data_problems(_other_number(default_data)) if p.is_error]


def test_publish_refuses_every_rulebook_error_at_once_and_saves_nothing(default_data, personas):
    data = _other_number(default_data)
    data["tasks"][0]["assignments"][0]["agency"] = "Sở Không Tồn Tại"
    data["targets"][0]["comparator"] = "bigger"
    plans, tasks = Plan.objects.count(), Task.objects.count()
    with pytest.raises(PlanPublishError) as excinfo:
        plan_publish(actor=personas["coordinator"], data=data)
    assert {(p.code, p.path) for p in excinfo.value.problems} == {
        ("agency_unknown", "tasks.0.assignments.0"),
        ("target_comparator", "targets.0"),
    }
    assert (Plan.objects.count(), Task.objects.count()) == (plans, tasks)


def test_publish_names_the_actor_in_history_and_the_security_log(default_data, personas):
    actor = personas["coordinator"]
    plan = plan_publish(actor=actor, data=_other_number(default_data))
    assert plan.code == "999/KH-UBND"
    assert plan.history.get().history_user == actor
    assert {h.history_user for h in Task.history.filter(plan_id=plan.pk)} == {actor}
    event = SecurityEvent.objects.get(action="plan_published")
    assert (event.actor, event.target, event.detail["replaced"]) == (actor, "999/KH-UBND", 0)


def test_replace_swaps_a_plan_nothing_is_attached_to(default_data, personas):
    first = plan_publish(actor=personas["admin"], data=_other_number(default_data))
    data = _other_number(default_data)
    data["title"] = "Kế hoạch thay thế"
    second = plan_publish(actor=personas["admin"], data=data, replace=True)
    assert not Plan.objects.filter(pk=first.pk).exists()
    assert Plan.objects.by_code("999/KH-UBND").get() == second
    assert second.title == "Kế hoạch thay thế"


def test_replace_of_a_plan_with_reports_is_refused_naming_what_is_attached(default_data, personas, tmp_path):
    cycle = cycle_open(actor=personas["coordinator"], plan=default_data, year=2025)
    entries = ReportEntry.objects.filter(report__cycle=cycle).count()
    assert entries
    attached = plan_attached_data(plan=default_data)
    assert attached == {
        str(ReportingCycle._meta.verbose_name): 1,
        str(ReportEntry._meta.verbose_name): entries,
    }
    tasks = Task.objects.filter(plan=default_data).count()
    with pytest.raises(PlanPublishError) as excinfo:
        plan_publish(actor=personas["admin"], data=plan_to_dict(default_data), replace=True)
    [problem] = excinfo.value.problems
    assert problem.code == "plan_in_use"
    assert str(ReportingCycle._meta.verbose_name) in problem.message
    assert f"{ReportEntry._meta.verbose_name} ({entries})" in problem.message
    assert Plan.objects.filter(pk=default_data.pk).exists()
    assert Task.objects.filter(plan=default_data).count() == tasks
    # The command line gets the same sentence, not a ProtectedError traceback.
    with pytest.raises(CommandError, match="Không thay được kế hoạch 386/KH-UBND"):
        _import_json(default_data, replace=True, tmp_path=tmp_path)


def _import_json(plan: Plan, *, replace: bool, tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_to_dict(plan), ensure_ascii=False), encoding="utf-8")
    call_command("import_plan_json", str(path), *(["--replace"] if replace else []), verbosity=0)


def test_command_line_publishing_has_no_actor_and_no_security_event(default_data, tmp_path):
    _import_json(default_data, replace=True, tmp_path=tmp_path)
    plan = Plan.objects.by_code("386/KH-UBND").get()
    assert plan.pk != default_data.pk
    assert plan.history.get().history_user is None
    assert not SecurityEvent.objects.filter(action="plan_published").exists()
