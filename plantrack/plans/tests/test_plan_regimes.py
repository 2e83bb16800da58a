"""A plan's reporting regimes in the interchange JSON and in the import parser."""

import copy

import pytest

from plantrack.core.text import fold
from plantrack.plans.importing.regimes import regimes_in_text
from plantrack.plans.interchange import plan_to_dict
from plantrack.plans.models import Plan
from plantrack.plans.services import PlanPublishError, plan_publish

HALF_AND_YEAR = [
    {"period": "half_yearly", "due_day": 15, "due_month": 6},
    {"period": "yearly", "due_day": 15, "due_month": 12},
]


def test_plan_386_reports_yearly_by_05_12(plan_386):
    assert plan_to_dict(plan_386)["reporting_regimes"] == [
        {"period": "yearly", "due_day": 5, "due_month": 12}
    ]
    [regime] = plan_386.regimes.all()
    assert regime.due_display == "05/12"


def test_regimes_are_stored_and_written_back(plan_386):
    data = copy.deepcopy(plan_to_dict(plan_386))
    data["number"] = "901/KH-UBND"
    data["reporting_regimes"] = HALF_AND_YEAR
    plan = plan_publish(actor=None, data=data)
    assert plan_to_dict(plan)["reporting_regimes"] == HALF_AND_YEAR
    assert (plan.report_due_day, plan.report_due_month) == (15, 12)


def test_files_without_regimes_read_the_old_due_date(plan_386):
    data = copy.deepcopy(plan_to_dict(plan_386))
    data["number"] = "902/KH-UBND"
    del data["reporting_regimes"]
    data["reporting"][0]["due"] = "20/11"
    plan = plan_publish(actor=None, data=data)
    assert plan_to_dict(plan)["reporting_regimes"] == [{"period": "yearly", "due_day": 20, "due_month": 11}]


@pytest.mark.parametrize(
    "rows",
    [
        [{"period": "weekly", "due_day": 1, "due_month": 1}],
        [{"period": "yearly", "due_day": 32, "due_month": 12}],
        [
            {"period": "yearly", "due_day": 5, "due_month": 12},
            {"period": "yearly", "due_day": 6, "due_month": 12},
        ],
    ],
)
def test_bad_regimes_are_refused(plan_386, rows):
    data = copy.deepcopy(plan_to_dict(plan_386))
    data["number"] = "903/KH-UBND"
    data["reporting_regimes"] = rows
    with pytest.raises(PlanPublishError, match="Chế độ báo cáo"):
        plan_publish(actor=None, data=data)
    assert not Plan.objects.by_code("903/KH-UBND").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Định kỳ báo cáo 6 tháng (trước 15/6) và hằng năm (trước 15/12) gửi Sở Tư pháp.",
            [("half_yearly", 15, 6), ("yearly", 15, 12)],
        ),
        ("Báo cáo 6 tháng, hằng năm trước ngày 15/6 và 15/12.", [("half_yearly", 15, 6), ("yearly", 15, 12)]),
        ("định kỳ hàng năm trước ngày 05/12 tổng hợp, báo cáo", [("yearly", 5, 12)]),
        ("Báo cáo hằng quý trước ngày 20/3; tổng kết ngày 15/6/2026", [("quarterly", 20, 3)]),
        ("Tổ chức thực hiện hằng năm theo kế hoạch", []),
    ],
)
def test_parser_reads_every_regime_of_a_sentence(text, expected):
    got = [(r["period"], r["due_day"], r["due_month"]) for r in regimes_in_text(fold(text))]
    assert got == expected
