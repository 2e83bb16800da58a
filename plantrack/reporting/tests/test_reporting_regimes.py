"""Reporting regimes: cycles opened from a plan's regimes, their due dates and Decree 09 data windows,
idempotence, the yearly report pre-filled from the 6-month one, and ad hoc requests reaching only their scope."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from plantrack.plans.models import ReportingRegime
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport, CyclePeriod, ReportingCycle
from plantrack.reporting.regimes import data_window, regime_cycles

from .conftest import fill

# The test plan's regime as the interchange writes it: "6 tháng (trước 15/6) và hằng năm (trước 15/12)".
HALF_AND_YEAR = [
    {"period": "half_yearly", "due_day": 15, "due_month": 6},
    {"period": "yearly", "due_day": 15, "due_month": 12},
]


def _set_regimes(plan, rows):
    from plantrack.plans.models import PERIOD_MONTHS

    plan.regimes.all().delete()
    for i, row in enumerate(rows):
        ReportingRegime.objects.create(
            plan=plan,
            period=row["period"],
            due_day=row["due_day"],
            due_month_offset=row["due_month"] - PERIOD_MONTHS[row["period"]],
            order=i,
        )


@pytest.mark.parametrize(
    ("period", "index", "start", "end"),
    [
        ("monthly", 1, (2025, 12, 15), (2026, 1, 14)),
        ("monthly", 7, (2026, 6, 15), (2026, 7, 14)),
        ("quarterly", 1, (2025, 12, 15), (2026, 3, 14)),
        ("quarterly", 3, (2026, 6, 15), (2026, 9, 14)),
        ("half_yearly", 1, (2025, 12, 15), (2026, 6, 14)),
        ("half_yearly", 2, (2026, 6, 15), (2026, 12, 14)),
        ("yearly", 1, (2025, 12, 15), (2026, 12, 14)),
    ],
)
def test_data_windows_follow_decree_09(period, index, start, end):
    assert data_window(period, 2026, index) == (datetime.date(*start), datetime.date(*end))


def test_six_monthly_and_yearly_regime_opens_two_cycles_with_their_dates(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    opened = services.cycles_open_from_regime(actor=world.coordinator, plan=world.plan, year=2026)
    got = {
        (c.period_type, c.period_index): (c.due_date, c.period_start, c.period_end, c.data_as_of)
        for c in opened
    }
    assert got == {
        ("half_yearly", 1): (
            datetime.date(2026, 6, 15),
            datetime.date(2025, 12, 15),
            datetime.date(2026, 6, 14),
            datetime.date(2026, 6, 14),
        ),
        ("yearly", 1): (
            datetime.date(2026, 12, 15),
            datetime.date(2025, 12, 15),
            datetime.date(2026, 12, 14),
            datetime.date(2026, 12, 14),
        ),
    }
    assert [str(c.label) for c in opened] == ["6 tháng đầu năm 2026", "năm 2026"]
    # Both cycles expect the same agencies: the regime changes when, not who.
    for cycle in opened:
        assert set(cycle.reports.values_list("agency_id", flat=True)) == {world.a.pk, world.b.pk, world.c.pk}


def test_a_six_monthly_regime_alone_has_a_second_half(world):
    _set_regimes(world.plan, [{"period": "half_yearly", "due_day": 15, "due_month": 6}])
    planned = regime_cycles(plan=world.plan, year=2026)
    assert [(p.index, p.due_date) for p in planned] == [
        (1, datetime.date(2026, 6, 15)),
        (2, datetime.date(2026, 12, 15)),
    ]


def test_quarterly_due_the_month_after_and_31_clamped(world):
    _set_regimes(world.plan, [{"period": "quarterly", "due_day": 31, "due_month": 4}])
    planned = regime_cycles(plan=world.plan, year=2026)
    assert [p.due_date for p in planned] == [
        datetime.date(2026, 4, 30),
        datetime.date(2026, 7, 31),
        datetime.date(2026, 10, 31),
        datetime.date(2027, 1, 31),
    ]
    assert [p.label for p in planned][2] == "Quý III/2026"


def test_opening_from_the_regime_twice_opens_nothing_the_second_time(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    assert len(services.cycles_open_from_regime(actor=world.coordinator, plan=world.plan, year=2026)) == 2
    assert services.cycles_open_from_regime(actor=world.coordinator, plan=world.plan, year=2026) == []
    assert ReportingCycle.objects.filter(plan=world.plan, year=2026).count() == 2


def test_a_plan_without_regime_reports_yearly_by_its_due_date(world):
    world.plan.report_due_day, world.plan.report_due_month = 5, 12
    world.plan.save()
    opened = services.cycles_open_from_regime(actor=world.coordinator, plan=world.plan, year=2026)
    assert [(c.period_type, c.due_date) for c in opened] == [("yearly", datetime.date(2026, 12, 5))]


def test_only_a_coordinator_opens_from_the_regime(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    with pytest.raises(services.WorkflowNotAllowed):
        services.cycles_open_from_regime(actor=world.head_a, plan=world.plan, year=2026)
    assert not ReportingCycle.objects.exists()


def test_open_cycles_command_dry_run_then_real_then_idempotent(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    code = world.plan.code

    def run(*extra):
        out = StringIO()
        call_command("open_cycles", "--plan", code, "--year", "2026", "--format", "json", *extra, stdout=out)
        return [(c["label"], c["state"]) for c in json.loads(out.getvalue())["cycles"]]

    assert run("--dry-run") == [("6 tháng đầu năm 2026", "would_open"), ("năm 2026", "would_open")]
    assert not ReportingCycle.objects.exists()
    assert run() == [("6 tháng đầu năm 2026", "opened"), ("năm 2026", "opened")]
    assert run() == [("6 tháng đầu năm 2026", "exists"), ("năm 2026", "exists")]
    assert ReportingCycle.objects.count() == 2


# --- pre-fill from the 6-month report ---------------------------------------------------------------------------


def test_yearly_report_is_prefilled_from_the_sent_half_year_report(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    [half] = services.cycles_open_from_regime(
        actor=world.coordinator, plan=world.plan, year=2026, periods={("half_yearly", 1)}
    )
    report_a = fill(world.report(half, world.a), world.reporter_a, text="Sáu tháng: đã tập huấn")
    services.report_submit(actor=world.head_a, report=report_a)
    fill(world.report(half, world.b), world.reporter_b, text="Bản nháp chưa gửi")  # a draft is not drawn on

    [year] = services.cycles_open_from_regime(actor=world.coordinator, plan=world.plan, year=2026)
    yearly_a = world.report(year, world.a)
    assert yearly_a.prefilled_from_id == report_a.pk
    assert yearly_a.main_results == "Kết quả nổi bật của năm"
    results = dict(yearly_a.entries.values_list("task__code", "results"))
    assert results == {
        "III.1.a": "Sáu tháng: đã tập huấn (III.1.a)",
        "III.1.b": "Sáu tháng: đã tập huấn (III.1.b)",
    }
    yearly_b = world.report(year, world.b)
    assert yearly_b.prefilled_from_id is None
    assert set(yearly_b.entries.values_list("results", flat=True)) == {""}

    # Editable like any draft, and the page says where the text came from.
    assert yearly_a.is_editable
    services.report_save_draft(
        actor=world.reporter_a, report=yearly_a, version=yearly_a.version, sections={"main_results": "Cả năm"}
    )
    from django.test import Client

    client = Client()
    client.force_login(world.reporter_a)
    page = client.get(reverse("reporting:report_edit", args=[yearly_a.pk])).content.decode()
    assert "điền sẵn từ báo cáo 6 tháng đầu năm 2026" in page


# --- ad hoc requests --------------------------------------------------------------------------------------------


def _ad_hoc(world, **kwargs):
    defaults = {
        "actor": world.coordinator,
        "plan": world.plan,
        "title": "Tình hình chuyển đổi số",
        "due_date": datetime.date(2025, 12, 1),
        "agencies": [world.a],
        "document_number": "123/UBND-KGVX",
        "issuer": "UBND tỉnh",
    }
    return services.adhoc_request_create(**{**defaults, **kwargs})


def test_ad_hoc_request_reaches_only_its_scope(world, client):
    request = _ad_hoc(world, agencies=[world.a, world.c], tasks=[world.t2])
    cycle = request.cycle
    assert cycle.period_type == CyclePeriod.AD_HOC and cycle.due_date == datetime.date(2025, 12, 1)
    assert str(cycle.label) == "đột xuất: Tình hình chuyển đổi số"
    reports = {r.agency_id: r for r in AgencyReport.objects.filter(cycle=cycle)}
    assert set(reports) == {world.a.pk, world.c.pk}  # B owes tasks but is outside the scope
    assert list(reports[world.a.pk].entries.values_list("task_id", flat=True)) == [world.t2.pk]

    client.force_login(world.reporter_b)  # the other agency: nothing in its lists, 404 on the cycle
    assert client.get(reverse("reporting:cycle_detail", args=[cycle.pk])).status_code == 404
    assert "chuyển đổi số" not in client.get(reverse("reporting:cycle_list")).content.decode()
    assert not AgencyReport.objects.for_user(world.reporter_b).filter(cycle=cycle).exists()

    client.force_login(world.reporter_a)
    assert client.get(reverse("reporting:cycle_detail", args=[cycle.pk])).status_code == 200
    assert AgencyReport.objects.for_user(world.reporter_a).filter(cycle=cycle).count() == 1


def test_ad_hoc_requests_do_not_block_each_other_or_the_year(world):
    world.open_cycle(year=2025)
    first, second = _ad_hoc(world), _ad_hoc(world, title="Lần hai")
    assert first.cycle.pk != second.cycle.pk


@pytest.mark.parametrize("persona", ["head_a", "viewer", "other_coordinator"])
def test_only_the_plans_coordinator_asks_for_an_ad_hoc_report(world, persona):
    with pytest.raises(services.WorkflowNotAllowed):
        _ad_hoc(world, actor=getattr(world, persona))


def test_ad_hoc_request_needs_agencies(world):
    with pytest.raises(services.ReportingError, match="ít nhất một đơn vị"):
        _ad_hoc(world, agencies=[])


def test_ad_hoc_page_creates_the_request(world, client):
    client.force_login(world.coordinator)
    url = reverse("reporting:adhoc_create")
    assert world.a.name in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "plan": world.plan.pk,
            "title": "Báo cáo nhanh",
            "due_date": "01/12/2025",
            "agencies": [world.b.pk],
        },
    )
    assert response.status_code == 302
    cycle = ReportingCycle.objects.get(period_type=CyclePeriod.AD_HOC)
    assert list(cycle.reports.values_list("agency_id", flat=True)) == [world.b.pk]
    page = client.get(response.url).content.decode()
    assert "Kỳ báo cáo đột xuất: Báo cáo nhanh" in page

    client.force_login(world.head_a)
    assert client.get(url).status_code == 403


def test_cycle_open_page_opens_a_half_year(world, client):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:cycle_open"), {"plan": world.plan.pk, "year": 2026, "period": "H1"}
    )
    assert response.status_code == 302
    cycle = ReportingCycle.objects.get()
    assert (cycle.period_type, cycle.period_index, cycle.period_end) == (
        "half_yearly",
        1,
        datetime.date(2026, 6, 14),
    )
    assert "Kỳ báo cáo 6 tháng đầu năm 2026" in client.get(response.url).content.decode()
    assert (
        "6 tháng đầu năm 2026"
        in client.get(reverse("monitoring:dashboard", args=[cycle.pk])).content.decode()
    )
