"""The home page's blocks are cached per version of what they show (home.cached): a warm page is a handful of
queries whatever the data, a change shows on the very next request, and two users who may see different things
never get each other's blocks."""

import datetime
import re

import pytest
import time_machine

from plantrack.accounts.models import Role, User
from plantrack.core.tests import pages_fixtures
from plantrack.orgs.models import Agency
from plantrack.plans.models import Task
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
@pytest.mark.parametrize(
    ("persona", "queries"),
    [
        # session, user, the agencies' and all plans' tokens (the visible plans come from the cache), then: the
        # reporter's open reports
        ("reporter", 4),
        ("head", 4),
        # ... the open cycles coordinated, the tokens of those cycles and of the followed plans, the latest builds
        # of the block and of the summaries
        ("coordinator", 7),
        # ... the tokens of the followed plans, the latest builds of the summaries
        ("viewer", 5),
    ],
)
def test_a_warm_home_page_costs_a_few_queries(
    client, personas, cycle, persona, queries, django_assert_num_queries
):
    client.force_login(personas[persona])
    client.get("/")
    with django_assert_num_queries(queries):
        assert client.get("/").status_code == 200


@time_machine.travel(AFTER_DUE, tick=False)
def test_a_sent_then_accepted_report_shows_at_once_on_the_coordinators_home(client, personas, cycle):
    client.force_login(personas["coordinator"])
    before = client.get("/").context["coordination"]
    assert before.to_review == [] and before.cycles[0].sent == 0
    report = AgencyReport.objects.get(cycle=cycle, agency=personas["reporter"].agency)
    head = User.objects.create_user("ld.stc.cache", role=Role.HEAD, agency=personas["reporter"].agency)
    report = fill_and_send(report, personas["reporter"], head)

    response = client.get("/")
    block = response.context["coordination"]
    assert [r.pk for r in block.to_review] == [report.pk] and block.cycles[0].sent == 1
    assert f"/bao-cao/{report.pk}/" in _text(response)
    assert block.late_total == before.late_total - 1

    services.report_accept(actor=personas["coordinator"], report=report)
    response = client.get("/")
    block = response.context["coordination"]
    assert block.to_review == [] and block.cycles[0].accepted == 1
    assert f'href="/bao-cao/{report.pk}/"' not in _text(response)


@time_machine.travel(AFTER_DUE, tick=False)
def test_a_plan_change_shows_at_once_in_the_plan_list(client, personas, default_data):
    client.force_login(personas["reporter"])
    (plan,) = client.get("/").context["plans"]
    tasks = plan.task_count
    default_data.title = "Kế hoạch đã đổi tên để thử bộ nhớ đệm"
    default_data.save()  # the plan's own row (plans.cache_versions)
    assert "Kế hoạch đã đổi tên để thử bộ nhớ đệm" in _text(client.get("/"))
    task = Task.objects.filter(plan=default_data).first()
    Task.objects.create(plan=default_data, group=task.group, code="Z.99", text="Nhiệm vụ mới", order=999)
    assert client.get("/").context["plans"][0].task_count == tasks + 1

    default_data.is_published = False
    default_data.save()
    assert client.get("/").context["plans"] == []
    client.force_login(personas["admin"])
    text = _text(client.get("/"))
    assert "Kế hoạch đã đổi tên" in text and "Chưa công bố" in text


@time_machine.travel(AFTER_DUE, tick=False)
def test_users_who_may_see_different_things_get_different_blocks(client, personas, cycle, default_data):
    # The coordinating department's badge is the coordinator's, not the viewer's, on the same plan list.
    client.force_login(personas["coordinator"])
    assert "Đơn vị theo dõi" in _text(client.get("/"))
    client.force_login(personas["viewer"])
    assert "Đơn vị theo dõi" not in _text(client.get("/"))

    # A coordinator of another department: its own (empty) coordination block, never the plan's reports.
    report = AgencyReport.objects.get(cycle=cycle, agency=personas["reporter"].agency)
    head = User.objects.create_user("ld.stc.leak", role=Role.HEAD, agency=personas["reporter"].agency)
    report = fill_and_send(report, personas["reporter"], head)
    client.force_login(personas["coordinator"])
    assert [r.pk for r in client.get("/").context["coordination"].to_review] == [report.pk]
    other_department = Agency.objects.exclude(pk=default_data.coordinator_agency_id).filter(
        users__isnull=True
    )[0]
    other = User.objects.create_user("dp.khac", role=Role.COORDINATOR, agency=other_department)
    client.force_login(other)
    response = client.get("/")
    block = response.context["coordination"]
    assert block.cycles == [] and block.to_review == [] and block.late_total == 0
    assert f"/bao-cao/{report.pk}/" not in _text(response)
    assert response.context["summaries"] == []

    # The agency panel is the user's own agency's.
    client.force_login(personas["reporter"])
    panel = client.get("/").context["agency_summary"]
    client.force_login(personas["other_reporter"])
    other_panel = client.get("/").context["agency_summary"]
    assert panel["agency"] != other_panel["agency"]
    assert [r.task.pk for r in panel["leading"]] != [r.task.pk for r in other_panel["leading"]] or (
        panel["lead"],
        panel["coordinate"],
    ) != (other_panel["lead"], other_panel["coordinate"])


@time_machine.travel(AFTER_DUE, tick=False)
def test_a_new_task_for_the_agency_shows_at_once_in_its_panel(client, personas, default_data):
    from plantrack.plans.models import Assignment, AssignmentRole

    client.force_login(personas["reporter"])
    before = client.get("/").context["agency_summary"]["lead"]
    task = Task.objects.filter(plan=default_data).first()
    new = Task.objects.create(
        plan=default_data, group=task.group, code="Z.98", text="Việc mới của sở", order=998
    )
    Assignment.objects.create(task=new, agency=personas["reporter"].agency, role=AssignmentRole.LEAD)
    panel = client.get("/").context["agency_summary"]
    assert panel["lead"] == before + 1


@time_machine.travel(AFTER_DUE, tick=False)
def test_a_new_plan_shows_at_once_in_the_list_and_in_its_coordinators_summaries(
    client, personas, default_data
):
    """The visible and followed plans are cached per version of every plan (plan_key(ALL)): a plan created
    anywhere is on the next request of every user."""
    from plantrack.plans.tests.factories import PlanFactory

    coordinator = personas["coordinator"]
    for persona in ("reporter", "coordinator", "viewer"):
        client.force_login(personas[persona])
        client.get("/")  # cached
    new = PlanFactory(
        title="Kế hoạch mới lập để thử danh sách",
        coordinator_agency_id=coordinator.agency_id,
        issued_on=datetime.date(2026, 12, 1),
        is_published=True,
    )
    client.force_login(personas["reporter"])
    assert new.pk in [p.pk for p in client.get("/").context["plans"]]
    for persona in ("coordinator", "viewer"):
        client.force_login(personas[persona])
        summaries = client.get("/").context["summaries"]
        assert summaries[0].plan.pk == new.pk  # the newest first
