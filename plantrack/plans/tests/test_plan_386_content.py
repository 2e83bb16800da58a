"""Pins plan 386/KH-UBND as entered against its text (plantrack/plans/tests/data/plan_386_source.txt).

The expected assignments below were read off the plan text by hand, independently of the JSON that loads the plan:
"X phối hợp Y …" makes X the lead; a letter heading assigns every bullet under it; "… liên quan" names no agency in
particular and is kept as written.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from plantrack.plans.interchange import plan_to_dict

SOURCE = (Path(__file__).parent / "data" / "plan_386_source.txt").read_text(encoding="utf-8")

SKHCN = "Sở Khoa học và Công nghệ"
GROUPS_ALL = ["Các sở, ban, ngành", "UBND các huyện, thành phố"]
SBN_REL = "Các sở, ban, ngành liên quan"
HUYEN_REL = "UBND các huyện, thành phố liên quan"
RELATED = "các cơ quan liên quan"

# code: (lead, coordinate)
EXPECTED_TASKS = {
    "III.1.a.1": (GROUPS_ALL, []),
    "III.1.a.2": (GROUPS_ALL, []),
    "III.1.a.3": (
        GROUPS_ALL,
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai", "Các tổ chức chính trị - xã hội tỉnh"],
    ),
    "III.1.b": (["Sở Thông tin và Truyền thông"], ["Ban Tuyên giáo Tỉnh ủy"]),
    "III.1.c": (["Báo Đồng Nai", "Đài Phát thanh và Truyền hình Đồng Nai"], []),
    "III.2.a.1": (GROUPS_ALL, []),
    "III.2.a.2": (GROUPS_ALL, []),
    "III.2.b.1": ([SKHCN], [RELATED]),
    "III.2.b.2": ([SKHCN], [RELATED]),
    "III.2.b.3": ([SKHCN], [RELATED]),
    "III.2.c": (["Sở Tài chính"], [SKHCN, SBN_REL]),
    "III.2.d": (["Sở Nội vụ"], [SKHCN, SBN_REL, HUYEN_REL]),
    "III.3.a.1": ([SKHCN], [SBN_REL]),
    "III.3.a.2": ([SKHCN], [SBN_REL]),
    "III.3.a.3": ([SKHCN], [SBN_REL]),
    "III.3.b.1": (["Các trường đại học, cao đẳng trên địa bàn tỉnh"], []),
    "III.3.b.2": (["Các cơ sở giáo dục đại học thuộc UBND tỉnh quản lý"], []),
    "III.4.a": (GROUPS_ALL, []),
    "III.4.b.1": ([SKHCN], [RELATED]),
    "III.4.b.2": ([SKHCN], [RELATED]),
    "III.4.c": (["Sở Giáo dục và Đào tạo"], [SBN_REL]),
    "III.5.a.1": ([SKHCN], [SBN_REL, HUYEN_REL]),
    "III.5.a.2": ([SKHCN], [SBN_REL, HUYEN_REL]),
    "III.5.a.3": ([SKHCN], [SBN_REL, HUYEN_REL]),
    "III.5.b": (["Sở Công Thương"], GROUPS_ALL),
    "III.5.c": (["Sở Nông nghiệp và Phát triển nông thôn"], []),
    "III.6.a.1": ([SKHCN], ["Sở Ngoại vụ", RELATED]),
    "III.6.a.2": ([SKHCN], ["Sở Ngoại vụ", RELATED]),
    "III.6.a.3": ([SKHCN], ["Sở Ngoại vụ", RELATED]),
    "III.6.a.4": ([SKHCN], ["Sở Ngoại vụ", RELATED]),
    "III.6.b": (["Sở Nội vụ"], ["Sở Ngoại vụ", "Sở Tài chính", RELATED]),
}

# code: (comparator, min, max, unit, target_year)
EXPECTED_TARGETS = {
    "II.2.1": ("approximately", 62.8, 62.8, "%", 2030),
    "II.2.2": ("at_least", 45, None, "%", 2030),
    "II.2.3": ("range", 10, 15, "%", 2030),
    "II.2.4": ("per_population", 12, None, "người/vạn dân", 2030),
    "II.2.5": ("yearly_growth", 20, None, "%/năm", 2030),
    "II.2.6": ("range", 1.5, 2, "%", 2030),
    "II.2.7": ("at_least", 75, None, "%", 2030),
    "II.2.8": ("count_over_period", 10, 15, "giải thưởng", 2030),
    "II.2.9": ("compound", None, None, "", 2030),
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def exported(plan_386) -> dict:
    return plan_to_dict(plan_386)


def test_metadata(exported):
    assert exported["number"] == "386/KH-UBND"
    assert exported["issuer"] == "Ủy ban nhân dân tỉnh Đồng Nai"
    assert exported["date"] == "2024-11-16"
    assert exported["place"] == "Đồng Nai"
    assert exported["title"].startswith("TRIỂN KHAI THỰC HIỆN QUYẾT ĐỊNH SỐ 709/QĐ-TTg")
    assert [r["number"] for r in exported["references"]] == [
        "709/QĐ-TTg",
        "348-KH/TU",
        "69-KL/TW",
        "20-NQ/TW",
    ]
    assert len(exported["recipients"]) == 9
    assert exported["recipients"][-1]["text"] == "Lưu VT, KGVX"


def test_nine_targets_with_their_comparators(exported):
    got = {
        t["code"]: (t["comparator"], t["min"], t["max"], t["unit"], t["target_year"])
        for t in exported["targets"]
    }
    assert got == EXPECTED_TARGETS


def test_biotech_target_is_compound_with_parts(exported):
    biotech = next(t for t in exported["targets"] if t["code"] == "II.2.9")
    measured = [(p["comparator"], p["min"]) for p in biotech["parts"] if p["comparator"] != "qualitative"]
    assert measured == [("at_least", 50), ("at_least", 50), ("at_least", 7)]
    assert len(biotech["parts"]) == 5


def test_target_periods(plan_386):
    assert plan_386.targets.get(code="II.2.1").period_start_year == 2021
    assert plan_386.targets.get(code="II.2.6").period_start_year == 2025
    assert plan_386.targets.get(code="II.2.6").min_value == Decimal("1.5")


def test_thirty_one_tasks_in_six_groups(exported):
    assert len(exported["tasks"]) == 31
    assert [g["code"] for g in exported["task_groups"]] == [f"III.{i}" for i in range(1, 7)]
    per_group = {
        g: sum(t["group"] == g for t in exported["tasks"]) for g in (f"III.{i}" for i in range(1, 7))
    }
    assert per_group == {"III.1": 5, "III.2": 7, "III.3": 5, "III.4": 4, "III.5": 5, "III.6": 5}


@pytest.mark.parametrize("code", sorted(EXPECTED_TASKS))
def test_task_assignments_match_the_text(exported, code):
    task = next(t for t in exported["tasks"] if t["code"] == code)
    lead, coordinate = EXPECTED_TASKS[code]
    assert task["lead"] == lead
    assert task["coordinate"] == coordinate
    group_leads = lead == GROUPS_ALL or lead[0].startswith("Các ")
    assert task["lead_is_group"] is group_leads
    assert task["recurrence"] == "continuous"
    assert task["deadline"] is None


def test_every_task_text_is_verbatim_from_the_plan(exported):
    source = _squash(SOURCE)
    for task in exported["tasks"]:
        assert _squash(task["text"]) in source, task["code"]


def test_reporting_rule_is_yearly_before_5_december_to_skhcn(exported):
    assert exported["reporting"] == [
        {
            "code": "IV.1",
            "who": "Thủ trưởng các sở, ban, ngành, đơn vị cấp tỉnh, Chủ tịch UBND các huyện, thành phố",
            "who_groups": ["Các sở, ban, ngành", "UBND các huyện, thành phố"],
            "to": SKHCN,
            "due": "05/12",
            "frequency": "yearly",
            "text": exported["reporting"][0]["text"],
        }
    ]
    assert "trước ngày 05/12" in exported["reporting"][0]["text"]
    assert exported["duties"][0]["code"] == "IV.2"
    assert exported["duties"][0]["agency"] == SKHCN
    assert exported["duties"][0]["kind"] == "monitor"


def test_plan_records_due_date_and_department_in_charge(plan_386):
    assert (plan_386.report_due_day, plan_386.report_due_month) == (5, 12)
    assert plan_386.coordinator_agency.name == SKHCN
