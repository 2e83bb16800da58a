"""The dashboard's shared sections are cached per version of what they show: a change to a report, a reminder
sent or an agency renamed shows on the very next request, a rolled-back change invalidates nothing, and a cached
page reads fewer queries than a fresh one; a figure recorded shows in the scorecard (whatever the number of agencies)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from plantrack.core.versions import tokens
from plantrack.indicators.models import YearlyFigure
from plantrack.indicators.tests.factories import IndicatorDefinitionFactory
from plantrack.monitoring.cache_versions import cycle_key
from plantrack.monitoring.sections import version_keys
from plantrack.monitoring.services import reminders_send
from plantrack.plans.tests.factories import TargetFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport, EntryStatus

from .conftest import at, fill


def row_of(html: str, agency_name: str) -> str:
    """The agency table's row of ``agency_name`` (its <tr>…</tr>) in the page."""
    table = html[html.index('<table class="watch">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr class=\"row-[a-z_]+\">.*?</tr>", table, flags=re.S)
    return next(r for r in rows if agency_name in r)


def matrix_row(html: str, short_name: str) -> str:
    table = html[html.index('<table class="mx-table">') :]
    rows = re.findall(r"<tr>\s*<th class=\"rowhead\" scope=\"row\">(.*?)</tr>", table, flags=re.S)
    return next(r for r in rows if r.startswith(short_name))


@pytest.fixture
def page(client, world, cycle):
    def get(**params) -> tuple[str, object]:
        client.force_login(world.coordinator)  # a fresh session: tests travel in time
        response = client.get(f"/theo-doi/ky/{cycle.pk}/", params)
        assert response.status_code == 200
        return response.content.decode(), response

    return get


def test_second_request_is_served_from_the_cache(page, cycle):
    cache.clear()
    first, response = page()
    assert response.context["board"] is not None  # computed
    with CaptureQueriesContext(connection) as fresh_or_not:
        second, response = page()
    assert response.context["board"] is None  # read from the cache

    def shared(html: str) -> str:  # from the agency table to the end of the matrix
        return html[html.index('<table class="watch">') : html.index('<h2 id="chi-tieu">')]

    assert shared(second) == shared(first)
    cache.clear()
    with CaptureQueriesContext(connection) as fresh:
        page()
    assert len(fresh_or_not.captured_queries) < len(fresh.captured_queries)


def test_a_report_sent_accepted_returned_shows_at_once(page, world, cycle):
    before, _ = page()
    assert "Chưa bắt đầu" in row_of(before, "Sở Y tế (thử)")
    report_c = fill(world.report(cycle, world.c), world.head_c, status=EntryStatus.DONE)
    draft, _ = page()
    assert "Bản nháp" in row_of(draft, "Sở Y tế (thử)")
    assert "mx-unsent" in matrix_row(draft, "Sở Y tế")  # a draft never shows its statuses

    reporting.report_submit(actor=world.head_c, report=report_c)
    sent, response = page()
    assert response.context["board"] is not None  # the send invalidated the cached sections
    assert "Đã gửi, chờ xem xét" in row_of(sent, "Sở Y tế (thử)")
    assert "mx-done" in matrix_row(sent, "Sở Y tế") and "mx-unsent" not in matrix_row(sent, "Sở Y tế")

    reporting.report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk), comment="Sửa"
    )
    returned, _ = page()
    assert "state-returned" in row_of(returned, "Sở Y tế (thử)")

    report_c = AgencyReport.objects.get(pk=report_c.pk)
    reporting.report_resubmit(actor=world.head_c, report=report_c)
    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk))
    accepted, _ = page()
    assert "Đã tiếp nhận" in row_of(accepted, "Sở Y tế (thử)")


def test_filtered_pages_are_invalidated_too(page, world, cycle):
    page(trang_thai="submitted")
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    html, _ = page(trang_thai="submitted")
    assert "Sở Y tế (thử)" in row_of(html, "Sở Y tế (thử)")


def test_a_reminder_sent_shows_at_once(page, world, cycle, time_machine):
    time_machine.move_to(at(6), tick=False)
    before, _ = page()
    assert "1 ngày sau hạn" not in row_of(before, "Sở Tài chính (thử)")
    reminders_send(cycle=cycle, today=datetime.date(2025, 12, 6))
    after, _ = page()
    assert "1 ngày sau hạn" in row_of(after, "Sở Tài chính (thử)")


def test_an_agency_renamed_shows_at_once(page, world):
    page()
    world.a.name = "Sở Tài chính (đổi tên)"
    world.a.save()
    html, _ = page()
    assert row_of(html, "Sở Tài chính (đổi tên)")


def test_the_next_day_renders_again(page, world, cycle, time_machine):
    """Days left are words of the day: the cache key carries it."""
    time_machine.move_to(at(20, month=11), tick=False)
    assert "còn 15 ngày" in row_of(page()[0], "Sở Tài chính (thử)")
    time_machine.move_to(at(21, month=11), tick=False)
    assert "còn 14 ngày" in row_of(page()[0], "Sở Tài chính (thử)")


def test_a_rolled_back_change_keeps_the_version(world, cycle):
    before = tokens(*version_keys(cycle))
    with pytest.raises(RuntimeError), transaction.atomic():
        report = world.report(cycle, world.a)
        report.save()
        assert tokens(cycle_key(cycle.pk)) != before.split(".")[0]  # bumped inside the transaction
        raise RuntimeError
    assert tokens(*version_keys(cycle)) == before
    world.report(cycle, world.a).save()
    assert tokens(*version_keys(cycle)) != before


def test_cached_query_count_does_not_grow_with_agencies(client, big_world):
    counts = {}
    for n in (10, 40):
        world = big_world(n)
        client.force_login(world.coordinator)
        client.get(f"/theo-doi/ky/{world.cycle.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/theo-doi/ky/{world.cycle.pk}/")
        assert response.context["sections"] is None  # the whole body came from the cache
        assert len(re.findall(r'<tr class="row-', response.content.decode())) == n
        counts[n] = len(ctx.captured_queries)
    assert counts[10] == counts[40], counts


def test_a_figure_recorded_shows_at_once_in_the_scorecard(page, world, cycle):
    target = TargetFactory(plan=world.plan, code="9", text="Tỷ lệ thử nghiệm bộ nhớ đệm", parent=None)
    definition = IndicatorDefinitionFactory(target=target, provider=world.a)

    def scorecard(html: str) -> str:
        return html[html.index('<h2 id="chi-tieu">') :]

    before, _ = page()
    assert "Tỷ lệ thử nghiệm bộ nhớ đệm" in scorecard(before) and "47,5" not in scorecard(before)
    YearlyFigure.objects.create(definition=definition, year=cycle.year, value=Decimal("47.5"), agency=world.a)
    after, _ = page()
    assert "47,5" in scorecard(after)


def test_a_cached_scorecard_never_shows_one_agencys_draft_figure_to_another(client, world, cycle):
    """The scorecard is cached per group of users who see the same figures. Two viewers who also report for two
    different agencies (extra roles) see different drafts, so they must never share a cached scorecard: the one
    who opens the page second does not see the first one's agency's draft (review finding, issue 17 caching)."""
    from plantrack.accounts.models import Membership, Role
    from plantrack.reporting.tests.factories import UserFactory

    target = TargetFactory(plan=world.plan, code="9", text="Tỷ lệ thử nghiệm bản nháp", parent=None)
    definition = IndicatorDefinitionFactory(target=target, provider=world.a)
    draft = AgencyReport.objects.get(cycle=cycle, agency=world.a)
    assert draft.state == "draft"
    YearlyFigure.objects.create(
        definition=definition, year=cycle.year, value=Decimal("61.5"), agency=world.a, report=draft
    )
    viewer_a = UserFactory(username="xem-a", role=Role.VIEWER)
    viewer_b = UserFactory(username="xem-b", role=Role.VIEWER)
    Membership.objects.create(user=viewer_a, agency=world.a, role=Role.REPORTER)
    Membership.objects.create(user=viewer_b, agency=world.b, role=Role.REPORTER)
    cache.clear()

    def scorecard_as(user) -> str:
        client.force_login(user)
        html = client.get(f"/theo-doi/ky/{cycle.pk}/").content.decode()
        return html[html.index('<h2 id="chi-tieu">') :]

    assert "61,5" in scorecard_as(viewer_a)  # their own agency's draft
    assert "61,5" not in scorecard_as(viewer_b)  # served after A's page was cached: still not A's draft


# --- the whole body is cached (issue 17): every block it shows is versioned --------------------------------------


def test_a_warm_request_reads_no_data_of_the_page(page):
    """Warm, the dashboard reads the cycle (permission check) and the versions; nothing of its reports, tasks,
    funding, schedule or inspections: the body comes from one cache read."""
    page()
    with CaptureQueriesContext(connection) as ctx:
        _html, response = page()
    assert response.context["board"] is None and response.context["sections"] is None
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in (
        "reporting_agencyreport",
        "reporting_reportsubmission",
        "plans_task",
        "monitoring_reminderschedule",
        "inspection_recommendation",
        "indicators_yearlyfigure",
    ):
        assert table not in sql, table
    assert sum("core_cacheversion" in q["sql"] for q in ctx.captured_queries) == 1


def test_funding_accepted_shows_at_once(page, world, cycle):
    from plantrack.reporting.facts import EntryFacts, FundingIn

    assert "Chưa có báo cáo nào (đã gửi hoặc đã tiếp nhận) ghi kinh phí" in page()[0]
    report = fill(world.report(cycle, world.a), world.head_a)
    entry = report.entries.get(task=world.t1)
    reporting.report_save_draft(
        actor=world.head_a,
        report=report,
        version=report.version,
        facts={entry.pk: EntryFacts(funding=(FundingIn(2025, provincial=Decimal("800")),))},
    )
    reporting.report_submit(actor=world.head_a, report=world.report(cycle, world.a))
    assert "ghi thêm 800 triệu đồng bố trí" in page()[0]
    reporting.report_accept(actor=world.coordinator, report=world.report(cycle, world.a))
    assert "Tổng kinh phí bố trí: 800 triệu đồng" in page()[0]


@pytest.fixture
def recommendation(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plantrack.inspection import services as inspection

    settings.MEDIA_ROOT = str(tmp_path)
    plan = inspection.inspection_plan_create(
        actor=world.coordinator,
        plan=world.plan,
        agencies=[world.a],
        year=2025,
        title="Kiểm tra thử",
        number="15/KH-SKHCN",
        document_date=datetime.date(2025, 3, 1),
        scope="Kiểm tra.",
        team_lead="Nguyễn Văn Trưởng",
        team_members="Trần Thị Một",
    )
    minutes = SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4\ntrailer<</Root 1 0 R>>\n%%EOF\n", content_type="application/pdf"
    )
    visit = inspection.visit_create(
        actor=world.coordinator,
        inspection=plan,
        agency=world.a,
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 10, 2),
        findings="Chưa ban hành kế hoạch.",
        minutes=minutes,
    )

    def issue(text: str):
        return inspection.recommendation_issue(
            actor=world.coordinator, visit=visit, text=text, deadline=datetime.date(2025, 11, 15)
        )

    return issue


def test_an_overdue_recommendation_shows_and_goes_at_once(page, world, recommendation):
    from plantrack.inspection import services as inspection

    assert "Không có kiến nghị sau kiểm tra nào quá hạn." in page()[0]
    issued = recommendation("Ban hành kế hoạch triển khai thử")
    assert "Ban hành kế hoạch triển khai thử" in page()[0]
    inspection.recommendation_close(actor=world.coordinator, recommendation=issued)
    assert "Ban hành kế hoạch triển khai thử" not in page()[0]


def test_a_schedule_edited_shows_at_once(page, world, cycle):
    from plantrack.monitoring.services import reminder_schedule_update

    before = page()[0]
    reminder_schedule_update(
        actor=world.coordinator, cycle=cycle, days_before=[3], days_after=[], repeat_every_days=0
    )
    after = page()[0]
    assert after != before
    assert "trước hạn 3 ngày" in after


def test_the_plan_renamed_shows_at_once(page, world):
    page()
    world.plan.number = "77"
    world.plan.save()
    assert "77/" in page()[0].split('<nav class="crumbs">', 1)[1].split("</nav>", 1)[0]


def test_a_viewer_never_gets_the_coordinators_cached_actions(client, world, cycle):
    """The coordinator's body has the urging actions; a viewer who opens the same dashboard right after is
    served their own body, without them (and the coordinator gets them back from the cache)."""
    cache.clear()
    reminders = f"/theo-doi/ky/{cycle.pk}/nhac-han/"

    def html_as(user) -> str:
        client.force_login(user)
        return client.get(f"/theo-doi/ky/{cycle.pk}/").content.decode()

    assert reminders in html_as(world.coordinator)
    assert reminders not in html_as(world.viewer)
    assert reminders in html_as(world.coordinator)


def test_the_cached_body_carries_nothing_of_the_user(client, world, cycle):
    """Two coordinators of the same department share the cached body; each page still has their own name and
    CSRF token, rendered around it by the base template."""
    from plantrack.reporting.tests.factories import UserFactory

    second = UserFactory(
        username="dieu-phoi-2", role="coordinator", agency=world.dept, full_name="Cán bộ Thứ Hai"
    )
    cache.clear()
    client.force_login(world.coordinator)
    first_html = client.get(f"/theo-doi/ky/{cycle.pk}/").content.decode()
    client.force_login(second)
    response = client.get(f"/theo-doi/ky/{cycle.pk}/")
    assert response.context["board"] is None  # served from the coordinator's cached body
    second_html = response.content.decode()
    assert second.display_name in second_html and second.display_name not in first_html
    assert world.coordinator.display_name in first_html and world.coordinator.display_name not in second_html
