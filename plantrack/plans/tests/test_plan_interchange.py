import copy
import json

import pytest
from django.core.management import CommandError, call_command

from plantrack.plans.interchange import plan_to_dict
from plantrack.plans.models import Assignment, Plan, Task
from plantrack.plans.services import PlanPublishError, plan_publish


def test_round_trip_is_exact(plan_386, tmp_path):
    before = plan_to_dict(plan_386)
    path = tmp_path / "plan.json"
    call_command("export_plan", "386/KH-UBND", out=str(path))
    call_command("import_plan_json", str(path), "--replace", verbosity=0)
    after = plan_to_dict(Plan.objects.by_code("386/KH-UBND").get())
    assert after == before


def test_export_command_prints_json(plan_386, capsys):
    call_command("export_plan", "386/KH-UBND")
    data = json.loads(capsys.readouterr().out)
    assert data["number"] == "386/KH-UBND"
    assert len(data["tasks"]) == 31


def test_export_unknown_plan_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Không có kế hoạch 999/KH-UBND"):
        call_command("export_plan", "999/KH-UBND")


def test_import_existing_plan_without_replace_is_refused(plan_386):
    with pytest.raises(PlanPublishError, match="đã có trong hệ thống"):
        plan_publish(actor=None, data=plan_to_dict(plan_386))


def test_unknown_agency_saves_nothing_and_names_every_problem(plan_386):
    data = plan_to_dict(plan_386)
    data["number"] = "999/KH-UBND"
    data["tasks"][0]["assignments"][0] = {
        "role": "lead",
        "agency": "Sở Không Tồn Tại",
        "group": None,
        "related_only": False,
        "as_written": "Sở Không Tồn Tại",
    }
    data["tasks"][5]["assignments"][0]["group"] = "Nhóm ma"
    tasks_before, assignments_before = Task.objects.count(), Assignment.objects.count()
    with pytest.raises(PlanPublishError) as excinfo:
        plan_publish(actor=None, data=data)
    message = str(excinfo.value)
    assert "Nhiệm vụ III.1.a.1: không có cơ quan “Sở Không Tồn Tại”" in message
    assert "Nhóm ma" in message
    assert not Plan.objects.by_code("999/KH-UBND").exists()
    assert (Task.objects.count(), Assignment.objects.count()) == (tasks_before, assignments_before)


def test_short_form_names_resolve_to_agencies_and_groups(plan_386):
    data = copy.deepcopy(plan_to_dict(plan_386))
    data["number"] = "1/KH-UBND"
    for task in data["tasks"]:
        del task["assignments"]
    # Only names that are agencies or groups survive the short form; keep the tasks whose names all are.
    names_ok = {
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Sở Ngoại vụ",
        "Các sở, ban, ngành",
        "UBND các huyện, thành phố",
        "Sở Nội vụ",
    }
    data["tasks"] = [t for t in data["tasks"] if set(t["lead"] + t["coordinate"]) <= names_ok]
    plan = plan_publish(actor=None, data=data)
    task = plan.tasks.get(code="III.1.a.1")
    assert {a.group.name for a in task.assignments.all()} == {
        "Các sở, ban, ngành",
        "UBND các huyện, thành phố",
    }


def test_malformed_json_file_is_a_clear_error(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON UTF-8 hợp lệ"):
        call_command("import_plan_json", str(bad))


def test_bad_number_and_date_are_reported(plan_386):
    data = plan_to_dict(plan_386)
    data["number"] = "386"
    with pytest.raises(PlanPublishError, match="không đúng dạng"):
        plan_publish(actor=None, data=data)
    data["number"] = "2/KH-UBND"
    data["date"] = "16/11/2024"
    with pytest.raises(PlanPublishError, match="YYYY-MM-DD"):
        plan_publish(actor=None, data=data)


def test_load_default_twice_duplicates_nothing(plan_386):
    from plantrack.orgs.models import Agency, AgencyAlias, GroupMembership

    counts = (
        Agency.objects.count(),
        AgencyAlias.objects.count(),
        GroupMembership.objects.count(),
        Plan.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
    )
    call_command("load_default", "--no-demo", verbosity=0)
    assert counts == (
        Agency.objects.count(),
        AgencyAlias.objects.count(),
        GroupMembership.objects.count(),
        Plan.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
    )
