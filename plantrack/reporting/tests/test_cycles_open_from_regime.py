"""The page "Mở kỳ báo cáo theo chế độ báo cáo": only the plans the user coordinates, a preview of each period the
regimes prescribe (type, label, Decree 09 data window, due date, open or to open, agencies owing a report), opening
in one click through ``cycles_open_from_regime``, a second click that opens nothing and says so, and plans without a
regime sent to the one-cycle form."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantrack.plans.models import PERIOD_MONTHS, ReportingRegime
from plantrack.plans.tests.factories import PlanFactory
from plantrack.reporting.models import ReportingCycle

URL = reverse("reporting:cycles_open_from_regime")
HALF_AND_YEAR = [("half_yearly", 15, 6), ("yearly", 15, 12)]


def _set_regimes(plan, rows):
    for i, (period, day, month) in enumerate(rows):
        ReportingRegime.objects.create(
            plan=plan, period=period, due_day=day, due_month_offset=month - PERIOD_MONTHS[period], order=i
        )


def _rows(html: str) -> list[list[str]]:
    """The preview table's body rows as their cells' text."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def half_and_year(world):
    _set_regimes(world.plan, HALF_AND_YEAR)
    return world


def test_preview_lists_each_period_with_window_due_date_state_and_agencies(half_and_year, client):
    world = half_and_year
    client.force_login(world.coordinator)
    html = client.get(URL, {"plan": world.plan.pk, "year": 2026}).content.decode()
    # A, B and C owe tasks (T3 is "liên quan": nobody in particular), so each cycle expects three reports.
    assert _rows(html) == [
        ["6 tháng", "6 tháng đầu năm 2026", "15/12/2025 – 14/06/2026", "15/06/2026", "Sẽ mở", "3"],
        ["Năm", "năm 2026", "15/12/2025 – 14/12/2026", "15/12/2026", "Sẽ mở", "3"],
    ]
    assert "Mở 2 kỳ báo cáo" in html
    assert "báo cáo năm bao gồm 6 tháng cuối năm" in html
    assert not ReportingCycle.objects.exists()  # a preview opens nothing


def test_opening_creates_two_cycles_with_their_due_dates_then_a_second_click_opens_nothing(
    half_and_year, client
):
    world = half_and_year
    client.force_login(world.coordinator)
    response = client.post(URL, {"plan": world.plan.pk, "year": 2026}, follow=True)
    assert _messages(response) == [
        f"Đã mở 2 kỳ báo cáo của Kế hoạch {world.plan.code}: 6 tháng đầu năm 2026, năm 2026."
    ]
    cycles = ReportingCycle.objects.filter(plan=world.plan, year=2026).order_by("due_date")
    assert [(c.period_type, c.period_index, c.due_date, c.period_start, c.period_end) for c in cycles] == [
        (
            "half_yearly",
            1,
            datetime.date(2026, 6, 15),
            datetime.date(2025, 12, 15),
            datetime.date(2026, 6, 14),
        ),
        ("yearly", 1, datetime.date(2026, 12, 15), datetime.date(2025, 12, 15), datetime.date(2026, 12, 14)),
    ]
    for cycle in cycles:
        assert cycle.reports.count() == 3 and cycle.opened_by == world.coordinator
    html = response.content.decode()
    assert [r[4] for r in _rows(html)] == ["Đã mở", "Đã mở"]
    assert "Mở 2 kỳ báo cáo" not in html and "đã được mở" in html

    again = client.post(URL, {"plan": world.plan.pk, "year": 2026}, follow=True)
    assert _messages(again) == [
        f"Không mở thêm kỳ nào: mọi kỳ báo cáo năm 2026 theo chế độ báo cáo của Kế hoạch {world.plan.code} "
        "đã được mở."
    ]
    assert ReportingCycle.objects.filter(plan=world.plan).count() == 2


def test_a_period_opened_by_hand_is_kept_and_the_rest_opens(half_and_year, client):
    world = half_and_year
    by_hand = world.open_cycle(year=2026, period_type="half_yearly", period_index=1)
    client.force_login(world.coordinator)
    html = client.get(URL, {"plan": world.plan.pk, "year": 2026}).content.decode()
    assert [(r[1], r[4]) for r in _rows(html)] == [("6 tháng đầu năm 2026", "Đã mở"), ("năm 2026", "Sẽ mở")]
    assert reverse("reporting:cycle_detail", args=[by_hand.pk]) in html
    assert "Mở 1 kỳ báo cáo" in html
    client.post(URL, {"plan": world.plan.pk, "year": 2026})
    assert set(ReportingCycle.objects.values_list("period_type", flat=True)) == {"half_yearly", "yearly"}
    assert ReportingCycle.objects.get(period_type="half_yearly").pk == by_hand.pk


def test_a_plan_without_regime_says_so_and_links_to_the_one_cycle_form(world, client):
    assert not world.plan.regimes.exists()
    client.force_login(world.coordinator)
    html = client.get(URL, {"plan": world.plan.pk, "year": 2026}).content.decode()
    assert "chưa có chế độ báo cáo định kỳ" in html
    assert f'href="{reverse("reporting:cycle_open")}"' in html
    assert "<tbody>" not in html
    response = client.post(URL, {"plan": world.plan.pk, "year": 2026}, follow=True)
    assert _messages(response) == [
        f"Kế hoạch {world.plan.code} chưa có chế độ báo cáo định kỳ: hãy mở từng kỳ báo cáo."
    ]
    assert not ReportingCycle.objects.exists()


def test_only_plans_the_user_coordinates_are_offered(half_and_year, client):
    world = half_and_year
    foreign = PlanFactory(number="77", coordinator_agency=world.a)  # coordinated by A, not by D
    _set_regimes(foreign, HALF_AND_YEAR)
    client.force_login(world.coordinator)
    page = client.get(URL)
    options = page.context["form"].fields["plan"].queryset
    assert list(options) == [world.plan]
    response = client.post(URL, {"plan": foreign.pk, "year": 2026})
    assert response.status_code == 200 and response.context["form"].errors["plan"]
    assert not ReportingCycle.objects.exists()


@pytest.mark.parametrize("persona", ["head_a", "reporter_b", "viewer", "admin"])
def test_people_who_coordinate_no_plan_are_refused(half_and_year, client, persona):
    world = half_and_year
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"plan": world.plan.pk, "year": 2026}).status_code == 403
    assert not ReportingCycle.objects.exists()


def test_the_other_departments_coordinator_cannot_open_this_plan(half_and_year, client):
    world = half_and_year
    assert world.other_coordinator.agency == world.a  # a coordinator of A, which follows no plan here
    client.force_login(world.other_coordinator)
    assert client.post(URL, {"plan": world.plan.pk, "year": 2026}).status_code == 403
    assert not ReportingCycle.objects.exists()


def test_plan_page_and_cycle_list_link_to_the_page(half_and_year, client):
    world = half_and_year
    client.force_login(world.coordinator)
    plan_page = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    assert f"{URL}?plan={world.plan.pk}&amp;year=2025" in plan_page
    assert URL in client.get(reverse("reporting:cycle_list")).content.decode()
    client.force_login(world.head_a)
    assert URL not in client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
    assert URL not in client.get(reverse("reporting:cycle_list")).content.decode()


def test_one_coordinated_plan_goes_straight_to_its_preview_for_this_year(half_and_year, client):
    world = half_and_year
    client.force_login(world.coordinator)
    response = client.get(URL)
    assert (response.context["plan"], response.context["year"]) == (world.plan, 2025)
    assert len(response.context["rows"]) == 2


def _preview_queries(client, plan) -> tuple[int, str]:
    client.get(URL, {"plan": plan.pk, "year": 2026})  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        html = client.get(URL, {"plan": plan.pk, "year": 2026}).content.decode()
    return len(queries), html


def test_preview_resolves_who_owes_once_per_due_date(world, client):
    """Each period still to open resolves the plan's assignments on its own due date (organisation changes may
    differ between dates): at most three queries per period beyond a one-period preview."""
    client.force_login(world.coordinator)
    _set_regimes(world.plan, [("yearly", 5, 12)])
    yearly, _html = _preview_queries(client, world.plan)
    world.plan.regimes.all().delete()
    _set_regimes(world.plan, [("monthly", 5, 2)])  # twelve periods, each due on its own day
    monthly, html = _preview_queries(client, world.plan)
    assert len(_rows(html)) == 12
    assert monthly - yearly <= 3 * 11
