"""The agency list and the agency page "Việc của đơn vị"."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from plantrack.core.tests import pages_fixtures
from plantrack.orgs.models import Agency
from plantrack.plans.models import Plan

pytestmark = pytest.mark.django_db
ROLES = pages_fixtures.ROLES
default_data = pages_fixtures.default_data
personas = pages_fixtures.personas

# Before the 2025 reorganisation, so that group memberships are those of the plan's date.
PLAN_TIME = datetime.datetime(2024, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _agency(name: str) -> Agency:
    return Agency.objects.get(name=name, valid_from__isnull=True)


def test_agency_list_renders_for_every_role_grouped_by_kind(client, personas):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        client.force_login(personas[role])
        response = client.get(reverse("orgs:list"))
        assert response.status_code == 200
        text = _text(response)
        labels = [s["label"] for s in response.context["sections"]]
        assert "Sở, ban, ngành cấp tỉnh" in labels and "UBND cấp huyện" in labels
        assert "Sở Khoa học và Công nghệ" in text and "SKHCN" in text


def test_agency_list_search_ignores_diacritics_and_case(client, personas):
    client.force_login(personas["reporter"])
    for query in ["skhcn", "so khoa hoc", "SỞ KH&CN", "Sở Khoa học và công nghệ"]:
        response = client.get(reverse("orgs:list"), {"q": query})
        names = [a.name for s in response.context["sections"] for a in s["agencies"]]
        assert names == ["Sở Khoa học và Công nghệ"], query


def test_agency_list_filters_by_group(client, personas):
    client.force_login(personas["viewer"])
    response = client.get(reverse("orgs:list"), {"nhom": "ubnd-cap-huyen"})
    agencies = [a for s in response.context["sections"] for a in s["agencies"]]
    districts = [a for a in agencies if a.kind == "district_committee"]
    assert len(districts) == 11 and "Ủy ban nhân dân thành phố Biên Hòa" in {a.name for a in districts}
    assert "Sở Tài chính" not in {a.name for a in agencies}
    # The district level ended on 30/06/2025: the membership dates say so.
    assert all(a.membership.valid_to == datetime.date(2025, 6, 30) for a in districts)


def test_agency_list_no_result(client, personas):
    client.force_login(personas["viewer"])
    response = client.get(reverse("orgs:list"), {"q": "khong co co quan nay"})
    assert "Không tìm thấy cơ quan, đơn vị nào" in _text(response)


@time_machine.travel(PLAN_TIME, tick=False)
def test_agency_page_renders_for_every_role(client, personas):
    # One database load for every role: the default data takes seconds to load.
    for role in ROLES:
        client.force_login(personas[role])
        agency = _agency("Sở Tài chính")
        response = client.get(reverse("orgs:detail", args=[agency.pk]))
        assert response.status_code == 200
        text = _text(response)
        assert "Việc của đơn vị" in text and "Sở Tài chính" in text
        assert "Thay đổi tổ chức" in text  # the place kept for predecessors and successors


@time_machine.travel(PLAN_TIME, tick=False)
def test_agency_page_lists_what_the_department_leads_and_coordinates(client, personas):
    client.force_login(personas["coordinator"])
    agency = _agency("Sở Khoa học và Công nghệ")
    response = client.get(reverse("orgs:detail", args=[agency.pk]))
    assert response.context["lead_total"] == 21
    assert response.context["coordinate_total"] == 3
    block = response.context["plans"][0]
    assert block["plan"].code == "386/KH-UBND"
    assert [r.task.code for r in block["coordinate"]] == ["III.2.c", "III.2.d", "III.5.b"]
    lead_codes = [r.task.code for r in block["lead"]]
    named = [r.task.code for r in block["lead"] if r.direct]
    assert named == [
        "III.2.b.1",
        "III.2.b.2",
        "III.2.b.3",
        "III.3.a.1",
        "III.3.a.2",
        "III.3.a.3",
        "III.4.b.1",
        "III.4.b.2",
        "III.5.a.1",
        "III.5.a.2",
        "III.5.a.3",
        "III.6.a.1",
        "III.6.a.2",
        "III.6.a.3",
        "III.6.a.4",
    ]
    through_group = [r.task.code for r in block["lead"] if not r.direct]
    assert through_group == ["III.1.a.1", "III.1.a.2", "III.1.a.3", "III.2.a.1", "III.2.a.2", "III.4.a"]
    assert len(lead_codes) == 21
    text = _text(response)
    assert "Qua nhóm" in text and "Các sở, ban, ngành" in text
    assert "SKHCN" in text and "Sở Khoa học và công nghệ" in text  # abbreviation and alias


@time_machine.travel(PLAN_TIME, tick=False)
def test_agency_page_other_agency_sees_its_own_tasks_only(client, personas):
    """A reporter of Sở Tài chính opening Sở Nội vụ sees Sở Nội vụ's tasks, not its own."""
    client.force_login(personas["reporter"])
    home_agency = personas["reporter"].agency
    other = personas["other_reporter"].agency
    response = client.get(reverse("orgs:detail", args=[other.pk]))
    codes = {r.task.code for p in response.context["plans"] for r in p["lead"] + p["coordinate"]}
    assert {"III.2.d", "III.6.b"} <= codes  # Sở Nội vụ leads both by name
    assert "III.2.c" not in codes  # Sở Tài chính's task
    mine = client.get(reverse("orgs:detail", args=[home_agency.pk]))
    mine_codes = {r.task.code for p in mine.context["plans"] for r in p["lead"] + p["coordinate"]}
    assert "III.2.c" in mine_codes and "III.2.d" not in mine_codes


def test_dissolved_agency_keeps_the_tasks_of_its_last_day(client, personas):
    client.force_login(personas["viewer"])
    agency = _agency("Sở Thông tin và Truyền thông")
    assert agency.valid_to is not None  # merged into Sở KH&CN in 2025 (embedded reform data)
    response = client.get(reverse("orgs:detail", args=[agency.pk]))
    assert response.context["ended"] is True
    codes = {r.task.code for p in response.context["plans"] for r in p["lead"]}
    assert "III.1.b" in codes and "III.1.a.1" in codes


def test_agency_page_hides_unpublished_plans_from_agency_users(client, personas, default_data):
    Plan.objects.filter(pk=default_data.pk).update(is_published=False)
    client.force_login(personas["reporter"])
    agency = _agency("Sở Khoa học và Công nghệ")
    response = client.get(reverse("orgs:detail", args=[agency.pk]))
    assert response.context["plans"] == []
    assert "chưa được giao nhiệm vụ nào" in _text(response)


def test_agency_page_query_count_is_constant(client, personas, django_assert_max_num_queries):
    client.force_login(personas["head"])
    small = _agency("Báo Đồng Nai")
    large = _agency("Sở Khoa học và Công nghệ")
    client.get(reverse("orgs:detail", args=[small.pk]))
    cache.clear()  # both measured cold: the page's body is cached per version (home.views.agency_detail)
    with django_assert_max_num_queries(26) as ctx:
        client.get(reverse("orgs:detail", args=[small.pk]))
    baseline = len(ctx.captured_queries)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("orgs:detail", args=[large.pk]))


def test_agency_page_warm_request_reads_the_body_from_the_cache(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas["head"])
    url = reverse("orgs:detail", args=[_agency("Sở Khoa học và Công nghệ").pk])
    cold = client.get(url)
    # The agency, the plans the user may read, the versions; the rest is the fixed cost of a signed-in page.
    with django_assert_max_num_queries(8):
        warm = client.get(url)
    assert "plans" not in warm.context  # the body was not built again
    body = re.compile(r'<div class="agency-layout">.*</main>', re.S)
    assert body.search(warm.content.decode()).group(0) == body.search(cold.content.decode()).group(0)


def test_agency_page_shows_a_change_on_the_next_request(client, personas):
    from plantrack.orgs.models import AgencyGroup, GroupMembership

    client.force_login(personas["reporter"])
    agency = _agency("Sở Khoa học và Công nghệ")
    url = reverse("orgs:detail", args=[agency.pk])
    page = client.get(url).content.decode()
    agency.note = "Ghi chú mới về cơ quan"
    agency.save()
    assert "Ghi chú mới về cơ quan" in client.get(url).content.decode()
    group = AgencyGroup.objects.create(code="nhom-moi", name="Nhóm thử mới")
    GroupMembership.objects.create(group=group, agency=agency)
    assert "Nhóm thử mới" in client.get(url).content.decode()
    task = Plan.objects.get().tasks.filter(assignments__agency=agency).first()
    assert task.text[:40] in page
    task.text = "Lời văn nhiệm vụ vừa được sửa"
    task.save()
    assert "Lời văn nhiệm vụ vừa được sửa" in client.get(url).content.decode()


def test_agency_pages_require_login(client, default_data):
    agency = _agency("Sở Tài chính")
    for url in (reverse("orgs:list"), reverse("orgs:detail", args=[agency.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_agency_is_404(client, personas):
    client.force_login(personas["reporter"])
    assert client.get(reverse("orgs:detail", args=[999999])).status_code == 404


def test_agency_list_is_in_vietnamese_alphabetical_order(client, personas):
    """D before Đ, U before V: binary order put "Đài…" and "Ủy ban…" after "Văn phòng", folding mixed Đ with D."""
    from plantrack.orgs.tests.factories import AgencyFactory

    names = ["Văn phòng Thử", "Ủy ban Thử", "Điện Thử", "Đài Thử", "Dân Thử"]
    for name in names:
        AgencyFactory(name=name)
    client.force_login(personas["reporter"])
    response = client.get(reverse("orgs:list"), {"q": "thử"})
    shown = [
        a.name for section in response.context["sections"] for a in section["agencies"] if a.name in names
    ]
    assert shown == ["Dân Thử", "Đài Thử", "Điện Thử", "Ủy ban Thử", "Văn phòng Thử"]


def test_agency_list_exports_what_it_shows(client, personas):
    from plantrack.orgs.tests.factories import AgencyFactory

    AgencyFactory(name="Đài Thử xuất")
    AgencyFactory(name="=Sở công thức")
    client.force_login(personas["reporter"])
    text = client.get(reverse("orgs:list"), {"q": "thử xuất", "xuat": "csv"}).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tên,")
    assert "Đài Thử xuất" in text and "Sở công thức" not in text  # the search is kept


def _shown(response) -> list[str]:
    return [a.name for section in response.context["sections"] for a in section["agencies"]]


def test_agency_list_is_paged_in_vietnamese_order_with_filters_kept(client, personas):
    """60 matches: two pages of the shared pager, the search kept in its links, one Vietnamese order across the
    pages (binary order puts "Đài…" and "Ủy ban…" after "Văn phòng…")."""
    from plantrack.core.lists import PAGE_SIZE
    from plantrack.core.text import vi_sort_key
    from plantrack.orgs.tests.factories import AgencyFactory

    prefixes = ["Văn phòng", "Ủy ban", "Sở", "Đài", "Ban", "Dân"]
    names = [f"{prefix} Phântrang {i:02d}" for prefix in prefixes for i in range(10)]
    for name in names:
        AgencyFactory(name=name)
    client.force_login(personas["reporter"])
    first = client.get(reverse("orgs:list"), {"q": "phantrang"})
    second = client.get(reverse("orgs:list"), {"q": "phantrang", "page": 2})
    assert len(_shown(first)) == PAGE_SIZE and len(_shown(second)) == len(names) - PAGE_SIZE
    shown = _shown(first) + _shown(second)
    assert shown == sorted(names, key=vi_sort_key)
    assert shown != sorted(names)  # the test would tell binary order apart
    assert (
        shown.index("Đài Phântrang 00") < shown.index("Sở Phântrang 00") < shown.index("Ủy ban Phântrang 00")
    )
    pager = _text(first)
    assert "q=phantrang" in pager and "page=2" in pager and "Trang 1/2" in pager
    # the heading counts every match of the kind, not only those on the page
    assert first.context["sections"][0]["total"] == len(names)


def test_agency_list_query_count_does_not_grow_with_the_rows(client, personas, django_assert_max_num_queries):
    client.force_login(personas["reporter"])
    client.get(reverse("orgs:list"), {"q": "skhcn"})
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("orgs:list"), {"q": "skhcn"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("orgs:list"))
    assert len(_shown(response)) > 1
