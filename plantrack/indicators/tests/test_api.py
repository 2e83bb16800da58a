"""The API gives the same answers as the pages: same visibility, same service, same messages."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from plantrack.indicators.models import YearlyFigure
from plantrack.indicators.services import figure_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_gets_401_or_403():
    assert APIClient().get("/api/v1/indicators/").status_code in (401, 403)


def test_definitions_list_with_components(world):
    response = api(world.viewer).get(f"/api/v1/indicators/?plan={world.plan.pk}")
    assert response.status_code == 200
    rows = {row["target_code"]: row for row in response.json()["results"]}
    assert set(rows) == {"II.2.1", "II.2.2", "II.2.3"}
    assert rows["II.2.2"]["formula"] == "staff / population * 10000"
    assert [c["name"] for c in rows["II.2.2"]["components"]] == ["staff", "population"]
    assert rows["II.2.1"]["provider_id"] == world.a.pk


def test_series_gives_values_status_and_projection(world):
    for year, value in ((2024, "100"), (2025, "118")):
        figure_record(actor=world.reporter_a, indicator=world.count, year=year, value=value, source_note="")
    response = api(world.viewer).get(f"/api/v1/indicators/{world.growth.pk}/series/")
    assert response.status_code == 200
    body = response.json()
    by_year = {p["year"]: p for p in body["points"]}
    assert Decimal(by_year[2025]["value"]) == 18
    assert by_year[2025]["status"] == "at_risk"
    assert by_year[2024]["value"] is None and "2023" in by_year[2024]["problem"]
    assert "Trung bình" in body["projection"]["method"]


def test_provider_creates_a_figure_with_a_decimal_comma(world):
    response = api(world.reporter_a).post(
        "/api/v1/figures/",
        {"indicator": world.share.pk, "year": 2025, "value": "62,8", "source_note": "NGTK"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["value"]) == Decimal("62.8")
    assert response.json()["entered_by"] == world.reporter_a.username


def test_malformed_value_is_a_400_with_the_message(world):
    response = api(world.reporter_a).post(
        "/api/v1/figures/", {"indicator": world.share.pk, "year": 2025, "value": "6,2,8"}, format="json"
    )
    assert response.status_code == 400
    assert "một dấu phẩy" in response.json()["value"][0]


def test_jump_is_a_400_with_code_jump(world):
    figure_record(actor=world.reporter_a, indicator=world.share, year=2024, value="40", source_note="")
    client = api(world.reporter_a)
    response = client.post(
        "/api/v1/figures/", {"indicator": world.share.pk, "year": 2025, "value": "60"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "jump"
    response = client.post(
        "/api/v1/figures/",
        {"indicator": world.share.pk, "year": 2025, "value": "60", "explanation": "Đổi phương pháp"},
        format="json",
    )
    assert response.status_code == 201


def test_other_agency_cannot_enter_and_viewer_cannot_write(world):
    body = {"indicator": world.share.pk, "year": 2025, "value": "50"}
    assert api(world.reporter_b).post("/api/v1/figures/", body, format="json").status_code == 403
    assert api(world.viewer).post("/api/v1/figures/", body, format="json").status_code == 403
    assert not YearlyFigure.objects.exists()


def test_computed_indicator_refuses_a_typed_value(world):
    response = api(world.coordinator).post(
        "/api/v1/figures/", {"indicator": world.ratio.pk, "year": 2025, "value": "8"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "computed"


def test_component_figures_and_update_and_delete(world):
    client = api(world.reporter_b)
    response = client.post(
        "/api/v1/figures/",
        {"component": world.population.pk, "year": 2025, "value": "3.169.100"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/figures/{pk}/", {"value": "3169200"}, format="json")
    assert response.status_code == 200
    assert Decimal(response.json()["value"]) == 3169200
    # The other agency neither changes nor deletes it (it may read it: entered outside a report).
    other = api(world.reporter_a)
    assert other.get(f"/api/v1/figures/{pk}/").status_code == 200
    assert other.patch(f"/api/v1/figures/{pk}/", {"value": "1"}, format="json").status_code == 404
    assert other.delete(f"/api/v1/figures/{pk}/").status_code == 404
    assert client.delete(f"/api/v1/figures/{pk}/").status_code == 204
    assert not YearlyFigure.objects.exists()


def test_figure_list_filters(world):
    figure_record(actor=world.reporter_a, indicator=world.share, year=2024, value="40", source_note="")
    figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="41", source_note="")
    figure_record(actor=world.reporter_b, indicator=world.population, year=2025, value="100", source_note="")
    client = api(world.viewer)
    assert client.get("/api/v1/figures/").json()["count"] == 3
    assert client.get("/api/v1/figures/?year=2025").json()["count"] == 2
    assert client.get(f"/api/v1/figures/?component={world.population.pk}").json()["count"] == 1
    assert client.get(f"/api/v1/figures/?indicator={world.share.pk}").json()["count"] == 2


def test_an_administrator_reads_no_figure_of_another_agencys_draft(world):
    """Figures attached to a report follow the report's visibility: an administrator, like a viewer, reads them
    only once the report is sent (the API used to show every figure to administrators)."""
    from plantrack.accounts.models import Role
    from plantrack.accounts.tests.factories import UserFactory
    from plantrack.plans.models import AssignmentRole
    from plantrack.plans.tests.factories import AssignmentFactory, TaskFactory, TaskGroupFactory
    from plantrack.reporting import services as reporting

    admin = UserFactory(username="quantri", role=Role.ADMIN, is_staff=True, is_superuser=True)
    task = TaskFactory(plan=world.plan, group=TaskGroupFactory(plan=world.plan))
    AssignmentFactory(task=task, role=AssignmentRole.LEAD, agency=world.a)
    report = reporting.cycle_open(actor=world.coordinator, plan=world.plan, year=2025).reports.get(
        agency=world.a
    )
    figure = figure_record(
        actor=world.reporter_a, indicator=world.share, year=2025, value="41", source_note=""
    )
    assert figure.report == report

    assert api(admin).get(f"/api/v1/figures/{figure.pk}/").status_code == 404
    assert figure.pk not in [row["id"] for row in api(admin).get("/api/v1/figures/").json()["results"]]
    assert api(world.reporter_a).get(f"/api/v1/figures/{figure.pk}/").status_code == 200

    report.refresh_from_db()
    entries = {
        e.pk: {"status": "in_progress", "results": "Đã làm", "difficulties": ""} for e in report.entries.all()
    }
    report = reporting.report_save_draft(
        actor=world.head_a,
        report=report,
        version=report.version,
        sections={"main_results": "x"},
        entries=entries,
    )
    reporting.report_submit(actor=world.head_a, report=report, version=report.version)

    assert api(admin).get(f"/api/v1/figures/{figure.pk}/").status_code == 200
