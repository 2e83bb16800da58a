import datetime

import pytest
from django.urls import reverse

from plantrack.accounts.models import Role, User
from plantrack.orgs.models import Agency, OrgChange

D = datetime.date


@pytest.fixture
def people(plan_386):
    skhcn = Agency.objects.get(name="Sở Khoa học và Công nghệ")
    stc = Agency.objects.get(name="Sở Tài chính")
    make = User.objects.create_user
    return {
        "admin": make("it", password="x-Strong-Pass-2025", role=Role.ADMIN),
        "coordinator": make("dp", password="x-Strong-Pass-2025", role=Role.COORDINATOR, agency=skhcn),
        "reporter": make("cv", password="x-Strong-Pass-2025", role=Role.REPORTER, agency=stc),
        "viewer": make("xem", password="x-Strong-Pass-2025", role=Role.VIEWER),
    }


@pytest.mark.parametrize("who", ["coordinator", "reporter", "viewer"])
def test_only_administrators_record_changes(client, people, who):
    client.force_login(people[who])
    change = OrgChange.objects.first()
    for url in (
        reverse("orgs:change_list"),
        reverse("orgs:change_create"),
        reverse("orgs:change_detail", args=[change.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("orgs:change_undo", args=[change.pk])).status_code == 403
    assert OrgChange.objects.get(pk=change.pk).is_active


def test_anonymous_is_sent_to_login(client, plan_386):
    response = client.get(reverse("orgs:change_list"))
    assert response.status_code == 302 and "/dang-nhap/" in response.url


def test_list_shows_the_2025_reform(client, people, django_assert_max_num_queries):
    client.force_login(people["admin"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("orgs:change_list"))
    text = response.content.decode()
    assert "Sở Thông tin và Truyền thông → Sở Khoa học và Công nghệ" in text
    assert "chưa xác nhận" in text


def test_preview_then_apply_then_undo(client, people):
    client.force_login(people["admin"])
    stc = Agency.objects.get(name="Sở Tài chính")
    form = {
        "kind": "rename",
        "effective_date": "01/01/2027",
        "predecessors": [stc.pk],
        "new_successor_name": "Sở Tài chính và Kế hoạch",
        "legal_basis": "Quyết định số 9/QĐ-UBND",
        "legal_basis_date": "20/12/2026",
        "note": "thử",
        "preview": "1",
    }
    preview = client.post(reverse("orgs:change_create"), form)
    text = preview.content.decode()
    assert "III.2.c" in text and "III.6.b" in text and "Các sở, ban, ngành" in text
    assert "cv" in text  # the reporter's account moves with the agency
    assert not Agency.objects.filter(name="Sở Tài chính và Kế hoạch").exists()
    applied = client.post(reverse("orgs:change_create"), {**form, "apply": "1"})
    change = OrgChange.objects.latest("pk")
    assert applied.status_code == 302 and applied.url == reverse("orgs:change_detail", args=[change.pk])
    people["reporter"].refresh_from_db()
    assert people["reporter"].agency.name == "Sở Tài chính và Kế hoạch"
    assert Agency.objects.get(pk=stc.pk).valid_to == D(2026, 12, 31)
    client.post(reverse("orgs:change_undo", args=[change.pk]))
    people["reporter"].refresh_from_db()
    assert people["reporter"].agency == stc
    assert not OrgChange.objects.get(pk=change.pk).is_active


def test_invalid_change_shows_errors_and_keeps_the_form(client, people):
    client.force_login(people["admin"])
    stc = Agency.objects.get(name="Sở Tài chính")
    response = client.post(
        reverse("orgs:change_create"),
        {
            "kind": "merge_new",
            "effective_date": "01/01/2027",
            "predecessors": [stc.pk],
            "new_successor_name": "Sở Mới",
            "legal_basis": "QĐ giữ lại",
            "apply": "1",
        },
    )
    text = response.content.decode()
    assert "Hợp nhất cần ít nhất hai cơ quan cũ" in text
    assert 'value="QĐ giữ lại"' in text
    assert not Agency.objects.filter(name="Sở Mới").exists()


def test_plan_page_shows_name_as_written_and_todays_agency(
    client, people, plan_386, django_assert_max_num_queries
):
    client.force_login(people["reporter"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("plans:detail", args=[plan_386.pk]))
    text = " ".join(response.content.decode().split())
    assert 'Sở Thông tin và Truyền thông</a><span class="assignee-now"> — nay:' in text
    assert 'nay: <a href="/co-quan/' in text
    assert "Sở Nông nghiệp và Môi trường" in text
    assert "Báo và Phát thanh, Truyền hình Đồng Nai" in text
