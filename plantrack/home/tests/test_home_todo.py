"""The to-do home per role (home.todo): each role sees what it has to do, a user with two roles sees both blocks,
and the page's query count does not grow with reports, agencies or reminders."""

import datetime
import re

import pytest
import time_machine

from plantrack.accounts.models import Membership, Role, User
from plantrack.core.tests import pages_fixtures
from plantrack.orgs.models import Agency
from plantrack.reporting import services
from plantrack.reporting.models import AgencyReport

pytestmark = pytest.mark.django_db
default_data = pages_fixtures.default_data
fill_and_send = pages_fixtures.fill_and_send
personas = pages_fixtures.personas
AFTER_DUE = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def cycle(personas, default_data):
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        return services.cycle_open(actor=personas["coordinator"], plan=default_data, year=2026)


@time_machine.travel(AFTER_DUE, tick=False)
def test_each_role_sees_its_block(client, personas, cycle):
    stc = personas["reporter"].agency
    own = AgencyReport.objects.get(cycle=cycle, agency=stc)
    snv_report = AgencyReport.objects.get(cycle=cycle, agency=personas["other_reporter"].agency)
    head_snv = User.objects.create_user("ld.snv", role=Role.HEAD, agency=personas["other_reporter"].agency)
    fill_and_send(snv_report, personas["other_reporter"], head_snv)

    client.force_login(personas["reporter"])
    text = _text(client.get("/"))
    assert "Báo cáo của đơn vị" in text and f"/bao-cao/{own.pk}/sua/" in text
    assert "quá hạn 15 ngày" in text and "Điều phối kế hoạch" not in text

    client.force_login(personas["coordinator"])
    response = client.get("/")
    text = _text(response)
    block = response.context["coordination"]
    assert [r.pk for r in block.to_review] == [snv_report.pk] and f"/bao-cao/{snv_report.pk}/" in text
    expected = AgencyReport.objects.filter(cycle=cycle).count()
    assert block.late_total == expected - 1
    assert block.cycles[0].sent == 1 and block.cycles[0].expected == expected
    assert "Báo cáo của đơn vị" not in text

    client.force_login(personas["viewer"])
    response = client.get("/")
    (summary,) = response.context["summaries"]
    assert (summary.sent, summary.expected) == (1, expected)
    assert "Tình hình Kế hoạch 386/KH-UBND" in _text(response)
    assert response.context["coordination"] is None and response.context["my_reports"] == []

    client.force_login(personas["admin"])
    response = client.get("/")
    assert response.context["accounts"].active >= 6 and "Tạo tài khoản" in _text(response)


@time_machine.travel(AFTER_DUE, tick=False)
def test_a_user_with_two_roles_sees_both_blocks(client, personas, cycle, default_data):
    dual = personas["coordinator"]
    dept = dual.agency
    stc = Agency.objects.get(name="Sở Tài chính")
    Membership.objects.create(user=dual, agency=stc, role=Role.REPORTER)
    client.force_login(dual)
    response = client.get("/")
    assert [r.agency_id for r in response.context["my_reports"]] == [stc.pk]
    assert response.context["coordination"].cycles
    assert [s.plan.pk for s in response.context["summaries"]] == [default_data.pk]
    assert dept.pk != stc.pk


@time_machine.travel(AFTER_DUE, tick=False)
@pytest.mark.parametrize("persona", ["reporter", "head", "coordinator", "viewer", "admin"])
def test_home_query_count_does_not_grow_with_reports(
    client, personas, cycle, persona, django_assert_max_num_queries
):
    from django.core.cache import cache

    client.force_login(personas[persona])
    client.get("/")
    cache.clear()  # both measures uncached: plan summaries are cached per version of the plan's reports
    with django_assert_max_num_queries(40) as before:
        client.get("/")
    n = len(before.captured_queries)
    for report in AgencyReport.objects.filter(cycle=cycle).select_related("agency")[:6]:
        head = User.objects.create_user(f"h{report.pk}", role=Role.HEAD, agency=report.agency)
        reporter = User.objects.create_user(f"r{report.pk}", role=Role.REPORTER, agency=report.agency)
        fill_and_send(report, reporter, head)
    cache.clear()
    with django_assert_max_num_queries(n):
        client.get("/")


@time_machine.travel(AFTER_DUE, tick=False)
def test_plan_summaries_are_cached_until_a_report_changes(client, personas, cycle):
    """The costly part of a plan summary (task statuses, scorecard) is read from the cache on the next request, and
    an accepted report shows at once: it changes the plan's report version (core.versions)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client.force_login(personas["viewer"])
    with CaptureQueriesContext(connection) as first:
        before = client.get("/").context["summaries"][0]
    with CaptureQueriesContext(connection) as second:
        again = client.get("/").context["summaries"][0]
    assert len(second.captured_queries) < len(first.captured_queries)
    assert (again.tasks, again.targets, again.year) == (before.tasks, before.targets, before.year)

    report = AgencyReport.objects.get(cycle=cycle, agency=personas["reporter"].agency)
    head = User.objects.create_user("ld.stc2", role=Role.HEAD, agency=personas["reporter"].agency)
    fill_and_send(report, personas["reporter"], head)
    report.refresh_from_db()
    services.report_accept(actor=personas["coordinator"], report=report)
    after = client.get("/").context["summaries"][0]
    statuses = {code: n for code, _label, n in after.tasks}
    assert statuses != {code: n for code, _label, n in before.tasks}
