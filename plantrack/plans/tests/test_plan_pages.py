"""The plan page and the assignment matrix, for every role, against plan 386/KH-UBND."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from plantrack.core.tests import pages_fixtures
from plantrack.orgs.models import Agency
from plantrack.plans.models import Assignment, AssignmentRole, Plan
from plantrack.plans.selectors import plan_assignment_matrix
from plantrack.plans.tests.factories import AssignmentFactory, TaskFactory

pytestmark = pytest.mark.django_db
ROLES = pages_fixtures.ROLES
default_data = pages_fixtures.default_data
personas = pages_fixtures.personas


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_plan_page_renders_for_every_role(client, personas, default_data):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        client.force_login(personas[role])
        response = client.get(reverse("plans:detail", args=[default_data.pk]))
        assert response.status_code == 200
        text = _text(response)
        assert "386/KH-UBND" in text
        assert "Đồng Nai, ngày 16 tháng 11 năm 2024" in text


def test_plan_page_shows_counts_groups_targets_and_tasks(client, personas, default_data):
    client.force_login(personas["reporter"])
    response = client.get(reverse("plans:detail", args=[default_data.pk]))
    text = _text(response)
    assert "<strong>9</strong> chỉ tiêu" in text
    assert "<strong>31</strong> nhiệm vụ" in text
    assert "<strong>6</strong> nhóm nhiệm vụ" in text
    assert response.context["target_count"] == 9
    assert response.context["task_count"] == 31
    assert [g.code for g in response.context["task_groups"]] == [f"III.{i}" for i in range(1, 7)]
    assert sum(len(g.task_list) for g in response.context["task_groups"]) == 31
    # Decimal comma and compound parts.
    assert re.search(r'<td class="num">62,8</td>', text)
    assert "1,5 – 2" in text
    assert "II.2.9.4" in text and "Đóng góp 7% vào GDP" in text
    # Every task has its anchor, with its lead agencies.
    for code in ("III.1.a.1", "III.2.b.3", "III.6.b"):
        assert f'id="task-{code.lower().replace(".", "")}"' in text
    # Outline prose, reporting rule and recipients.
    assert "MỤC ĐÍCH, YÊU CẦU" in text and "Mục tiêu chung đến năm 2030" in text
    assert "trước ngày 05/12 hằng năm" in text
    assert "Bộ Khoa học và Công nghệ (báo cáo)" in text
    assert "709/QĐ-TTg" in text


def test_plan_page_marks_group_and_related_assignments_as_written(client, personas, default_data):
    client.force_login(personas["reporter"])
    text = _text(client.get(reverse("plans:detail", args=[default_data.pk])))
    task = text[text.index('id="task-iii2c"') :]
    task = task[: task.index("</article>")]
    assert "Sở Tài chính" in task
    assert "Sở Khoa học và Công nghệ" in task
    assert "các sở, ngành liên quan" in task  # "… liên quan" shown as the plan writes it
    first = text[text.index('id="task-iii1a1"') :]
    first = first[: first.index("</article>")]
    assert first.count('<span class="tag">Nhóm</span>') == 2


def test_plan_page_query_count_does_not_grow_with_tasks(
    client, personas, default_data, django_assert_max_num_queries
):
    client.force_login(personas["coordinator"])
    url = reverse("plans:detail", args=[default_data.pk])
    client.get(url)  # warm session and caches
    cache.clear()  # both measures uncached: the task deadline badges are cached per plan version
    # 24: 20 + the read of the cache versions (the page's and the badges') + the amendments' history
    # (plans.amendments.plan_amendment_history) + the user's extra roles (accounts.permissions.hats, once per request).
    with django_assert_max_num_queries(24) as before:
        client.get(url)
    baseline = len(before.captured_queries)  # read now: the next request resets the query log
    group = default_data.task_groups.get(code="III.6")
    agency = Agency.objects.get(name="Sở Y tế")
    for i in range(10):
        task = TaskFactory(plan=default_data, group=group, code=f"III.6.c.{i + 1}", order=100 + i)
        AssignmentFactory(task=task, agency=agency)
        AssignmentFactory(
            task=task,
            agency=None,
            group=Assignment.objects.filter(group__isnull=False).first().group,
            role=AssignmentRole.COORDINATE,
        )
    cache.clear()
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert response.context["task_count"] == 41


def test_unpublished_plan_is_404_for_agency_users_but_visible_to_admin(client, personas, default_data):
    Plan.objects.filter(pk=default_data.pk).update(is_published=False)
    client.force_login(personas["reporter"])
    assert client.get(reverse("plans:detail", args=[default_data.pk])).status_code == 404
    assert client.get(reverse("plans:matrix", args=[default_data.pk])).status_code == 404
    client.force_login(personas["admin"])
    assert client.get(reverse("plans:detail", args=[default_data.pk])).status_code == 200


def test_plan_pages_require_login(client, default_data):
    for name in ("plans:detail", "plans:matrix"):
        url = reverse(name, args=[default_data.pk])
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- matrix -----------------------------------------------------------------------------------------------------


def test_matrix_renders_for_every_role(client, personas, default_data):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        client.force_login(personas[role])
        for suffix in ("", "?xem=van-ban"):
            response = client.get(reverse("plans:matrix", args=[default_data.pk]) + suffix)
            assert response.status_code == 200
            assert "III.6" in _text(response)


def _row(matrix, name):
    return next(r for r in matrix.rows if r.label == name)


def test_matrix_counts_department_of_science_and_technology(default_data):
    """Sở KH&CN is named lead of 15 tasks (III.2.b.1-3, III.3.a.1-3, III.4.b.1-2, III.5.a.1-3, III.6.a.1-4), and
    leads 6 more as a member of "Các sở, ban, ngành" (III.1.a.1-3, III.2.a.1-2, III.4.a): 21. It coordinates
    III.2.c and III.2.d by name and III.5.b through the group: 3."""
    matrix = plan_assignment_matrix(plan=default_data)
    row = _row(matrix, "Sở Khoa học và Công nghệ")
    assert [(c.lead, c.coordinate) for c in row.cells] == [(3, 0), (5, 2), (3, 0), (3, 0), (3, 1), (4, 0)]
    assert (row.total.lead, row.total.coordinate, row.total.total) == (21, 3, 24)
    written = plan_assignment_matrix(plan=default_data, as_written=True)
    named = _row(written, "Sở Khoa học và Công nghệ")
    assert [(c.lead, c.coordinate) for c in named.cells] == [(0, 0), (3, 2), (3, 0), (2, 0), (3, 0), (4, 0)]
    assert named.total.lead == 15


def test_matrix_totals_match_assignments(default_data):
    from plantrack.plans.selectors import assignments_expanded

    matrix = plan_assignment_matrix(plan=default_data)
    owed = assignments_expanded(plan=default_data, day=default_data.issued_on)
    pairs = sum(len(tasks) for tasks in owed.values())
    assert matrix.grand_total.total == pairs
    assert len(matrix.rows) == len(owed)
    assert matrix.tasks_per_group == [5, 7, 5, 4, 5, 5]
    # Column totals are the sums of the rows.
    for i, total in enumerate(matrix.column_totals):
        assert total.lead == sum(r.cells[i].lead for r in matrix.rows)
        assert total.coordinate == sum(r.cells[i].coordinate for r in matrix.rows)
    # Every district-level committee leads the 6 tasks given to "UBND các huyện, thành phố" and coordinates III.5.b.
    bien_hoa = _row(matrix, "Ủy ban nhân dân thành phố Biên Hòa")
    assert (bien_hoa.total.lead, bien_hoa.total.coordinate) == (6, 1)
    # "… liên quan" and unnamed assignees are kept apart, as written.
    general = {r.label: r.total for r in matrix.general_rows}
    assert general["Các sở, ban, ngành liên quan"].coordinate == 9
    assert general["các cơ quan liên quan"].coordinate == 10


def test_matrix_page_shows_totals_and_links(client, personas, default_data):
    client.force_login(personas["reporter"])
    response = client.get(reverse("plans:matrix", args=[default_data.pk]))
    text = _text(response)
    skhcn = Agency.objects.get(name="Sở Khoa học và Công nghệ")
    row = text[text.index(f'href="{reverse("orgs:detail", args=[skhcn.pk])}"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num total ct">21</td>' in row
    assert '<td class="num total ph">3</td>' in row
    assert "<strong>24</strong>" in row
    assert "Đơn vị của bạn" in text  # the reporter's own row (Sở Tài chính) is marked
    assert "Giao chung, không nêu đích danh" in text


def test_matrix_query_count_is_constant(client, personas, default_data, django_assert_max_num_queries):
    client.force_login(personas["viewer"])
    url = reverse("plans:matrix", args=[default_data.pk])
    client.get(url)
    cache.clear()  # the body rendered, not read from the cache (plans.views.plan_matrix)
    with django_assert_max_num_queries(22) as before:  # 20 + the read of the cache versions (two sets)
        client.get(url)
    baseline = len(before.captured_queries)  # read now: the next request resets the query log
    group = default_data.task_groups.get(code="III.2")
    for i in range(8):
        task = TaskFactory(plan=default_data, group=group, code=f"III.2.e.{i + 1}", order=200 + i)
        AssignmentFactory(task=task)  # a new agency each time: more rows
    cache.clear()
    with django_assert_max_num_queries(baseline):
        client.get(url)
    cache.clear()
    with django_assert_max_num_queries(baseline):
        client.get(url + "?xem=van-ban")


def test_matrix_exports_agencies_by_task_groups_with_the_view_kept(client, personas, default_data):
    from plantrack.orgs.models import Agency

    Agency.objects.filter(name="Sở Khoa học và Công nghệ").update(name="=Sở Khoa học và Công nghệ")
    client.force_login(personas["reporter"])
    url = reverse("plans:matrix", args=[default_data.pk])
    assert "xem=van-ban&amp;xuat=csv" in client.get(url, {"xem": "van-ban"}).content.decode()
    text = client.get(url, {"xuat": "csv"}).content.decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert header.startswith('"Cơ quan, đơn vị",III.1 chủ trì,III.1 phối hợp,III.2 chủ trì,')
    assert "'=Sở Khoa học và Công nghệ,3,0,5,2,3,0,3,0,3,1,4,0,21,3,24" in lines
    assert "''=" not in text
    written = client.get(url, {"xuat": "csv", "xem": "van-ban"}).content.decode("utf-8-sig")
    assert "'=Sở Khoa học và Công nghệ,0,0,3,2,3,0,2,0,3,0,4,0,15,2,17" in written.splitlines()


def test_plan_page_warm_request_reads_the_body_from_the_cache(
    client, personas, default_data, django_assert_max_num_queries
):
    client.force_login(personas["coordinator"])
    url = reverse("plans:detail", args=[default_data.pk])
    cold = client.get(url)
    # Warm: the plan and the cache versions; the rest is the fixed cost of a signed-in page (session, user, extra
    # roles, unread notifications, the user's agency). The body comes from the cache.
    with django_assert_max_num_queries(7):
        response = client.get(url)
    body = re.compile(r'<header class="card doc-head">.*</main>', re.S)
    assert body.search(response.content.decode()).group(0) == body.search(cold.content.decode()).group(0)
    assert "task_groups" not in response.context  # the body was not rendered again


def test_plan_page_shows_a_change_on_the_next_request(client, personas, default_data):
    client.force_login(personas["reporter"])
    url = reverse("plans:detail", args=[default_data.pk])
    client.get(url)
    task = default_data.tasks.get(code="III.6.b")
    task.text = "Nhiệm vụ đã được sửa lời văn"
    task.save()
    assert "Nhiệm vụ đã được sửa lời văn" in _text(client.get(url))
    default_data.title = "Tiêu đề kế hoạch mới"
    default_data.save()
    assert "Tiêu đề kế hoạch mới" in _text(client.get(url))
    node = default_data.outline.exclude(body="").first()
    node.body = "Đoạn văn mục lục mới"
    node.save()
    assert "Đoạn văn mục lục mới" in _text(client.get(url))
    recipient = default_data.recipients.first()
    recipient.text = "Nơi nhận mới"
    recipient.save()
    assert "Nơi nhận mới" in _text(client.get(url))
    agency = default_data.coordinator_agency
    agency.name = "Sở Kế hoạch, Tài chính và Đầu tư"
    agency.save()
    assert "Sở Kế hoạch, Tài chính và Đầu tư" in _text(client.get(url))


def test_plan_page_regime_link_is_not_served_to_other_users_from_the_cache(client, personas, default_data):
    url = reverse("plans:detail", args=[default_data.pk])
    client.force_login(personas["coordinator"])
    assert "Mở kỳ báo cáo theo chế độ báo cáo" in _text(client.get(url))
    client.force_login(personas["reporter"])
    assert "Mở kỳ báo cáo theo chế độ báo cáo" not in _text(client.get(url))
    client.force_login(personas["coordinator"])
    assert "Mở kỳ báo cáo theo chế độ báo cáo" in _text(client.get(url))
