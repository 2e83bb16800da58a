"""The assignment matrix page's body is cached per version of the plan and of the agencies (issue 17): an
assignment, a task, a group membership or an agency renamed shows on the very next request; readers of two
agencies never share the body that marks "their" row; a warm request reads no assignment or membership."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantrack.accounts.tests.factories import UserFactory
from plantrack.orgs.tests.factories import AgencyFactory, AgencyGroupFactory, GroupMembershipFactory
from plantrack.plans.tests.factories import AssignmentFactory, PlanFactory, TaskFactory, TaskGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db):
    plan = PlanFactory(number="55", is_published=True)
    group = TaskGroupFactory(plan=plan, code="III.1")
    a = AgencyFactory(name="Sở Tài chính (ma trận)")
    b = AgencyFactory(name="Sở Nội vụ (ma trận)")
    members = AgencyGroupFactory(name="Các sở (ma trận)")
    GroupMembershipFactory(group=members, agency=a)
    t1 = TaskFactory(plan=plan, group=group, code="III.1.a")
    AssignmentFactory(task=t1, agency=a)
    t2 = TaskFactory(plan=plan, group=group, code="III.1.b")
    AssignmentFactory(task=t2, agency=None, group=members, as_written=members.name)
    return {
        "plan": plan,
        "group": group,
        "a": a,
        "b": b,
        "members": members,
        "reader_a": UserFactory(username="doc-a", role="reporter", agency=a),
        "reader_b": UserFactory(username="doc-b", role="reporter", agency=b),
        "url": reverse("plans:matrix", args=[plan.pk]),
    }


def page(client, small, user=None, **params):
    client.force_login(user or small["reader_a"])
    response = client.get(small["url"], params)
    assert response.status_code == 200
    return response.content.decode(), response


def test_second_request_is_served_from_the_cache(client, small):
    cache.clear()
    first, response = page(client, small)
    assert response.context["matrix"] is not None  # computed
    second, response = page(client, small)
    assert response.context["matrix"] is None  # read from the cache

    def body(html: str) -> str:
        return html[html.index("<h1>") : html.index("</details>")]

    assert body(second) == body(first)


def test_a_warm_request_reads_no_assignment_or_membership(client, small):
    page(client, small)
    with CaptureQueriesContext(connection) as ctx:
        page(client, small)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in ("plans_assignment", "orgs_groupmembership", "plans_taskgroup", "plans_task"):
        assert f'"{table}"' not in sql, table
    assert sum("core_cacheversion" in q["sql"] for q in ctx.captured_queries) == 1


def test_an_assignment_shows_at_once(client, small):
    assert "Sở Nội vụ (ma trận)" not in page(client, small)[0]
    task = TaskFactory(plan=small["plan"], group=small["group"], code="III.1.c")
    AssignmentFactory(task=task, agency=small["b"])
    assert "Sở Nội vụ (ma trận)" in page(client, small)[0]
    assert "Sở Nội vụ (ma trận)" in page(client, small, xem="van-ban")[0]


def test_a_group_member_added_shows_at_once(client, small):
    """The group's task is counted for each member on the plan's date: a new member gets a row."""
    assert "Sở Nội vụ (ma trận)" not in page(client, small)[0]
    GroupMembershipFactory(group=small["members"], agency=small["b"])
    assert "Sở Nội vụ (ma trận)" in page(client, small)[0]


def test_an_agency_renamed_and_the_plan_renumbered_show_at_once(client, small):
    page(client, small)
    small["a"].name = "Sở Tài chính (đổi tên)"
    small["a"].save()
    small["plan"].number = "56"
    small["plan"].save()
    html = page(client, small)[0]
    assert "Sở Tài chính (đổi tên)" in html
    assert "56/KH-UBND" in html.split("<main", 1)[-1]


def test_each_agency_sees_its_own_row_marked(client, small):
    """The body marks the reader's own agency: a reader of another agency, served after the first one's body
    was cached, never gets that mark on a row not theirs."""
    GroupMembershipFactory(group=small["members"], agency=small["b"])
    cache.clear()

    def marked(html: str) -> list[str]:
        return [row for row in html.split("<tr") if "Đơn vị của bạn" in row]

    rows_a = marked(page(client, small, small["reader_a"])[0])
    rows_b = marked(page(client, small, small["reader_b"])[0])
    assert len(rows_a) == 1 and "Sở Tài chính (ma trận)" in rows_a[0]
    assert len(rows_b) == 1 and "Sở Nội vụ (ma trận)" in rows_b[0]


def test_rows_keep_the_vietnamese_order(small):
    """Rows sort by the agencies' stored collation key: the same order as ``vi_sort_key`` on their names."""
    from plantrack.core.text import vi_sorted
    from plantrack.plans.selectors import plan_assignment_matrix

    task = TaskFactory(plan=small["plan"], group=small["group"], code="III.1.d")
    for name in ("Sở Ăn uống", "Sở An ninh", "Sở Âm nhạc", "Sở Đường bộ", "Sở Dân tộc", "Sở anh văn"):
        AssignmentFactory(task=task, agency=AgencyFactory(name=name))
    labels = [r.label for r in plan_assignment_matrix(plan=small["plan"]).rows]
    assert labels == vi_sorted(labels)
    assert labels.index("Sở An ninh") < labels.index("Sở anh văn") < labels.index("Sở Ăn uống")
    assert labels.index("Sở Dân tộc") < labels.index("Sở Đường bộ")
