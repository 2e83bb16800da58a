"""The pages: scorecard, target page, charts, figure entry, indicator settings — for every persona."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from plantrack.indicators.demo import demo_figures_load
from plantrack.indicators.models import YearlyFigure
from plantrack.indicators.services import figure_record
from plantrack.plans.models import AssignmentRole
from plantrack.plans.tests.factories import AssignmentFactory, TaskFactory, TaskGroupFactory
from plantrack.reporting import services as reporting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def login(client, user):
    client.force_login(user)
    return client


def series(world):
    for year, value in ((2021, "38,5"), (2024, "40,3"), (2025, "40,9")):
        figure_record(
            actor=world.coordinator,
            indicator=world.share,
            year=year,
            value=value,
            source_note="NGTK",
            explanation="demo",
        )


# --- scorecard ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "reporter_a", "reporter_b", "viewer"])
def test_scorecard_shows_status_in_words(client, world, persona, django_assert_max_num_queries):
    series(world)
    login(client, getattr(world, persona))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("indicators:scorecard", args=[world.plan.pk]) + "?nam=2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Có nguy cơ" in html  # 40,9 against a path needing 41,39
    assert "status-at_risk" in html
    assert "Chưa có số liệu" in html  # the computed targets have no figures
    assert "40,9" in html


def test_scorecard_in_english_uses_the_decimal_point(client, world):
    series(world)
    login(client, world.viewer)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("indicators:scorecard", args=[world.plan.pk]) + "?nam=2025").content.decode()
    assert '<html lang="en">' in html
    assert ">40.9<" in html


def test_scorecard_query_count_does_not_grow_with_figures(client, world, django_assert_max_num_queries):
    for year in range(2010, 2026):
        figure_record(
            actor=world.coordinator,
            indicator=world.count,
            year=year,
            value=str(100 + year % 7 * 10),
            source_note="",
            explanation="x",
        )
    login(client, world.viewer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("indicators:scorecard", args=[world.plan.pk])).status_code == 200


def test_scorecard_of_an_unpublished_plan_is_404(client, world):
    world.plan.is_published = False
    world.plan.save()
    login(client, world.viewer)
    assert client.get(reverse("indicators:scorecard", args=[world.plan.pk])).status_code == 404


def test_demo_figures_are_labelled(client, plan_386):
    from plantrack.accounts.models import Role
    from plantrack.accounts.tests.factories import UserFactory

    demo_figures_load(plan=plan_386)
    login(client, UserFactory(username="xem386", role=Role.VIEWER))
    html = client.get(reverse("indicators:scorecard", args=[plan_386.pk]) + "?nam=2025").content.decode()
    assert "Số liệu minh họa (demo)" in html
    target = plan_386.targets.get(code="II.2.4")
    html = client.get(reverse("indicators:target", args=[target.pk])).content.decode()
    assert "demo" in html and "Bình Phước" in html  # the explanation of the 2025 jump


# --- target page and charts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "reporter_b", "viewer"])
def test_target_page_shows_figures_with_provenance(client, world, persona):
    series(world)
    login(client, getattr(world, persona))
    html = client.get(reverse("indicators:target", args=[world.share_target.pk])).content.decode()
    assert reverse("indicators:chart_svg", args=[world.share_target.pk]) in html
    assert "NGTK" in html and "40,9" in html
    assert "bình phương nhỏ nhất" in html  # the projection's method is shown
    assert "Lịch sử thay đổi" in html


def test_chart_png_opens_as_an_image(client, world):
    series(world)
    login(client, world.viewer)
    response = client.get(reverse("indicators:chart_png", args=[world.share_target.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image  # installed with matplotlib

    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.size[0] >= 600


def test_chart_svg_is_local_and_textual(client, world):
    series(world)
    login(client, world.viewer)
    response = client.get(reverse("indicators:chart_svg", args=[world.share_target.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and 'href="http' not in svg and "<image" not in svg
    assert "Lộ trình" in svg and "Năm đích 2030" in svg


def test_chart_of_a_target_without_indicator_is_404(client, world):
    from plantrack.plans.tests.factories import TargetFactory

    bare = TargetFactory(plan=world.plan, code="II.2.9")
    login(client, world.viewer)
    assert client.get(reverse("indicators:chart_png", args=[bare.pk])).status_code == 404
    assert client.get(reverse("indicators:target", args=[bare.pk])).status_code == 200


# --- figure entry -------------------------------------------------------------------------------------------------


def entry_url(year=2025, **params):
    query = "&".join(f"{k}={v}" for k, v in {"nam": year, **params}.items())
    return reverse("indicators:figure_entry") + "?" + query


def test_agency_sees_only_the_series_it_provides(client, world):
    html = login(client, world.reporter_a).get(entry_url()).content.decode()
    assert "Tỷ trọng thử" in html and "Nhân lực R&amp;D" in html and "Số đơn" in html
    assert "Dân số" not in html
    html = login(client, world.reporter_b).get(entry_url()).content.decode()
    assert "Dân số" in html and "Tỷ trọng thử" not in html


def test_coordinator_sees_everything_and_can_filter(client, world, django_assert_max_num_queries):
    login(client, world.coordinator)
    with django_assert_max_num_queries(15):
        html = client.get(entry_url()).content.decode()
    assert "Tỷ trọng thử" in html and "Dân số" in html
    html = client.get(entry_url(**{"co-quan": world.b.pk})).content.decode()
    assert "Dân số" in html and "Tỷ trọng thử" not in html


def test_viewer_and_other_coordinator_have_no_entry_page(client, world):
    assert login(client, world.viewer).get(entry_url()).status_code == 404
    assert login(client, world.other_coordinator).get(entry_url()).status_code == 404


def post_data(world, **rows):
    data = {}
    for key, (value, note, explanation) in rows.items():
        prefix = {
            "share": f"d{world.share.pk}",
            "staff": f"c{world.staff.pk}",
            "count": f"c{world.count.pk}",
        }[key]
        data.update(
            {f"{prefix}-value": value, f"{prefix}-source_note": note, f"{prefix}-explanation": explanation}
        )
    return data


def test_decimal_comma_is_saved(client, world):
    login(client, world.reporter_a)
    response = client.post(entry_url(), post_data(world, share=("62,8", "Niên giám", "")))
    assert response.status_code == 302
    figure = YearlyFigure.objects.get(definition=world.share, year=2025)
    assert figure.value == Decimal("62.8")
    assert figure.source_note == "Niên giám"
    html = client.get(entry_url()).content.decode()
    assert 'value="62,8"' in html


def test_malformed_value_keeps_everything_typed(client, world):
    login(client, world.reporter_a)
    response = client.post(
        entry_url(),
        post_data(
            world,
            share=("6,2,8", "Nguồn đã gõ", "Lý do đã gõ"),
            staff=("2450", "Sở KH&CN", ""),
            count=("abc", "ghi chú số đơn", ""),
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "«6,2,8» không phải là một số hợp lệ" in html
    assert "«abc» không phải là số" in html
    assert 'value="6,2,8"' in html and 'value="Nguồn đã gõ"' in html and "Lý do đã gõ" in html
    assert 'value="abc"' in html and 'value="ghi chú số đơn"' in html
    # The valid row is saved and shown as saved, with what was typed.
    assert YearlyFigure.objects.get(component=world.staff).value == 2450
    assert 'value="2450"' in html and "Đã lưu." in html
    assert not YearlyFigure.objects.filter(definition=world.share).exists()


def test_jump_asks_for_an_explanation_then_saves(client, world):
    figure_record(actor=world.reporter_a, indicator=world.share, year=2024, value="40", source_note="")
    login(client, world.reporter_a)
    response = client.post(entry_url(), post_data(world, share=("55", "NGTK", "")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Hãy ghi giải trình biến động" in html and 'value="55"' in html
    response = client.post(entry_url(), post_data(world, share=("55", "NGTK", "Đổi phạm vi thống kê")))
    assert response.status_code == 302
    assert YearlyFigure.objects.get(definition=world.share, year=2025).explanation == "Đổi phạm vi thống kê"


def test_other_agency_cannot_post_a_series_it_does_not_provide(client, world):
    login(client, world.reporter_b)
    client.post(entry_url(), post_data(world, share=("50", "", "")))
    assert not YearlyFigure.objects.exists()


# --- figures inside the yearly report -------------------------------------------------------------------------------


@pytest.fixture
def report_a(world):
    group = TaskGroupFactory(plan=world.plan)
    task = TaskFactory(plan=world.plan, group=group)
    AssignmentFactory(task=task, role=AssignmentRole.LEAD, agency=world.a)
    cycle = reporting.cycle_open(actor=world.coordinator, plan=world.plan, year=2025)
    return cycle.reports.get(agency=world.a)


def _submit(report, head):
    report.refresh_from_db()
    entries = {
        e.pk: {"status": "in_progress", "results": "Đã làm", "difficulties": ""} for e in report.entries.all()
    }
    report = reporting.report_save_draft(
        actor=head,
        report=report,
        version=report.version,
        sections={"main_results": "Kết quả"},
        entries=entries,
    )
    return reporting.report_submit(actor=head, report=report, version=report.version)


def test_figures_follow_the_reports_visibility(client, world, report_a):
    figure = figure_record(
        actor=world.reporter_a, indicator=world.share, year=2025, value="41", source_note=""
    )
    assert figure.report == report_a  # attached to the agency's report for that plan and year
    url = reverse("indicators:target", args=[world.share_target.pk])

    def sees(user):
        return "41" in login(client, user).get(url).content.decode().split("Số liệu theo năm")[1]

    # Draft: the agency alone.
    assert sees(world.reporter_a)
    assert not sees(world.coordinator) and not sees(world.viewer) and not sees(world.reporter_b)
    # While the report is a draft, the coordinator neither sees the figure on the entry page nor overwrites it.
    html = login(client, world.coordinator).get(entry_url()).content.decode()
    assert 'value="41"' not in html
    with pytest.raises(Exception) as exc:
        figure_record(actor=world.coordinator, indicator=world.share, year=2025, value="40", source_note="")
    assert getattr(exc.value, "code", "") == "report_open"
    # Submitted: the department in charge too; the figure is frozen for the agency.
    report = _submit(report_a, world.head_a)
    assert sees(world.coordinator) and not sees(world.viewer)
    with pytest.raises(Exception) as exc:
        figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="42", source_note="")
    assert getattr(exc.value, "code", "") == "report_frozen"
    # Accepted: everyone.
    reporting.report_accept(actor=world.coordinator, report=report, version=report.version)
    assert sees(world.viewer) and sees(world.reporter_b)


def test_report_figure_entry_saves_into_the_report(world, report_a):
    from django.template.loader import render_to_string

    from plantrack.indicators.forms import report_figure_entry

    entry = report_figure_entry(user=world.reporter_a, report=report_a)
    assert {form.row.label for form in entry} == {"Tỷ trọng thử", "Nhân lực R&D", "Số đơn"}
    html = render_to_string("indicators/_figure_entry_rows.html", {"entry": entry, "year": 2025})
    assert "<form" not in html and f'name="d{world.share.pk}-value"' in html
    entry = report_figure_entry(
        user=world.reporter_a, report=report_a, data=post_data(world, share=("45,5", "Niên giám", ""))
    )
    assert entry.save() == 1 and not entry.has_errors
    figure = YearlyFigure.objects.get(definition=world.share, year=2025)
    assert figure.report == report_a and figure.value == Decimal("45.5")
    # The figure goes with its report.
    report_a.delete()
    assert not YearlyFigure.objects.exists()


# --- indicator settings --------------------------------------------------------------------------------------------


def test_coordinator_changes_the_provider(client, world):
    login(client, world.coordinator)
    url = reverse("indicators:definition_edit", args=[world.share.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "provider": world.b.pk,
            "direction": "up",
            "assessment": "end_state",
            "tolerance_percent": "5",
            "at_risk_margin_percent": "10",
            "baseline_year": "2020",
            "baseline_value": "35,5",
            "jump_threshold_percent": "20",
            "min_allowed": "",
            "max_allowed": "",
            "method_note": "",
        },
    )
    assert response.status_code == 302
    world.share.refresh_from_db()
    assert world.share.provider == world.b
    assert world.share.baseline_value == Decimal("35.5")
    assert world.share.history.first().history_user == world.coordinator


@pytest.mark.parametrize("persona", ["reporter_a", "viewer", "other_coordinator"])
def test_only_the_plans_coordinator_edits_an_indicator(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(reverse("indicators:definition_edit", args=[world.share.pk])).status_code == 404
