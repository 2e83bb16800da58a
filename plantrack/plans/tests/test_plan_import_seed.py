"""Done when (issue 6): importing the text of plan 386/KH-UBND gives the same targets and the same lead and
coordinating agencies for every task as the hand-entered plan (plantrack/plans/default_data)."""

import json

import pytest
from django.core.management import call_command

from plantrack.plans.importing import Registry, import_document
from plantrack.plans.interchange import plan_to_dict
from plantrack.plans.models import Plan

from .conftest import sample_bytes

pytestmark = pytest.mark.django_db
SEED = "plan_386_KH-UBND.txt"
TARGET_KEYS = ("code", "comparator", "min", "max", "unit", "target_year")


@pytest.fixture
def imported(default_data):
    return import_document(sample_bytes(SEED), SEED, registry=Registry.from_db())


@pytest.fixture
def hand_entered(default_data) -> dict:
    return plan_to_dict(default_data)


def _target_view(target: dict) -> dict:
    return {**{k: target[k] for k in TARGET_KEYS}, "parts": [_target_view(p) for p in target["parts"]]}


def test_same_targets_as_the_hand_entered_plan(imported, hand_entered):
    assert len(imported.plan["targets"]) == 9
    for got, expected in zip(imported.plan["targets"], hand_entered["targets"], strict=True):
        assert _target_view(got) == _target_view(expected), got["code"]


def test_same_agencies_for_every_task(imported, hand_entered):
    got = {t["code"]: t for t in imported.plan["tasks"]}
    expected = {t["code"]: t for t in hand_entered["tasks"]}
    assert list(got) == list(expected)
    assert len(got) == 31
    for code, task in expected.items():
        assert got[code]["lead"] == task["lead"], code
        assert got[code]["coordinate"] == task["coordinate"], code
        assert got[code]["lead_is_group"] == task["lead_is_group"], code
        # The full structure too: "liên quan" as an unnamed assignment or as a related_only group, as written.
        assert got[code]["assignments"] == task["assignments"], code


def test_same_tasks_groups_outline_and_organisation(imported, hand_entered):
    plan = imported.plan
    for key in (
        "number",
        "issuer",
        "place",
        "date",
        "title",
        "coordinator_agency",
        "references",
        "task_groups",
        "reporting",
        "duties",
    ):
        assert plan[key] == hand_entered[key], key
    assert [n["code"] for n in plan["outline"]] == [n["code"] for n in hand_entered["outline"]]
    for got, expected in zip(plan["tasks"], hand_entered["tasks"], strict=True):
        assert (got["group"], got["heading"], got["text"], got["recurrence"], got["deadline"]) == (
            expected["group"],
            expected["heading"],
            expected["text"],
            expected["recurrence"],
            expected["deadline"],
        )


def test_recipients_resolve_like_the_hand_entered_plan(imported, hand_entered):
    assert imported.plan["recipients"] == hand_entered["recipients"]


def test_nothing_blocks_and_the_only_note_is_the_inferred_issuer(imported):
    assert imported.errors == []
    assert imported.warnings == [
        "Cơ quan ban hành suy ra từ ký hiệu “KH-UBND” và địa danh “Đồng Nai”: Ủy ban nhân dân tỉnh Đồng Nai."
    ]


def test_dry_run_prints_interchange_json_with_warnings(default_data, capsys, hand_entered):
    before = Plan.objects.count()
    call_command("import_plan", str(_seed_path()), "--dry-run", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert set(out) == set(hand_entered) | {"warnings", "reader", "reporting_duties"}
    assert out["tasks"][0]["code"] == "III.1.a.1"
    assert Plan.objects.count() == before


def test_import_without_dry_run_saves_through_plan_from_dict(default_data, capsys, hand_entered):
    call_command("import_plan", str(_seed_path()), "--replace", "--format", "text")
    plan = Plan.objects.by_code("386/KH-UBND").get()
    assert plan.pk != default_data.pk
    saved = plan_to_dict(plan)
    assert [_target_view(t) for t in saved["targets"]] == [_target_view(t) for t in hand_entered["targets"]]
    assert [(t["code"], t["lead"], t["coordinate"]) for t in saved["tasks"]] == [
        (t["code"], t["lead"], t["coordinate"]) for t in hand_entered["tasks"]
    ]


def _seed_path():
    from .conftest import SAMPLES

    return SAMPLES / SEED


def test_the_same_plan_typeset_as_pdf_gives_the_same_targets_and_agencies(registry_2024):
    """The seed text typeset into a PDF (wrapped lines, no tables): the reader joins the lines back into
    paragraphs well enough that every target and every task's agencies still match the hand-entered plan."""
    from django.conf import settings

    hand = json.loads(
        (settings.BASE_DIR / "plantrack" / "plans" / "default_data" / "plan_386_KH-UBND.json").read_text(
            encoding="utf-8"
        )
    )
    result = import_document(
        sample_bytes("plan_386_KH-UBND.pdf"), "plan_386_KH-UBND.pdf", registry=registry_2024
    )
    assert result.source.kind == "pdf"
    assert [_target_view(t) for t in result.plan["targets"]] == [_target_view(t) for t in hand["targets"]]
    got = [(t["code"], t["assignments"]) for t in result.plan["tasks"]]
    assert got == [(t["code"], t["assignments"]) for t in hand["tasks"]]
    assert result.plan["reporting"] == hand["reporting"]
    assert result.errors == []
