"""The security log: written for refusals and account changes, append-only, read by administrators only;
error pages say nothing about internals."""

import pytest
from django.contrib.admin.sites import site
from django.test import Client, override_settings
from django.urls import path, reverse

from plantrack.accounts.models import Role
from plantrack.security.models import SecurityAction, SecurityEvent
from plantrack.security.querysets import AppendOnlyError
from plantrack.security.services import security_event_record

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_record_keeps_who_what_when_where(people, rf):
    request = rf.get("/bao-cao/1/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.1.2.3")
    event = security_event_record(
        actor=people.reporter_a,
        action=SecurityAction.EXPORT,
        request=request,
        target="Báo cáo 2025",
        detail={"format": "xlsx"},
    )
    event.refresh_from_db()
    assert event.actor_username == "reporter_a" and event.action == "export"
    assert event.ip_address == "10.1.2.3" and event.user_agent == "Firefox" and event.path == "/bao-cao/1/"
    assert event.occurred_at.utcoffset().total_seconds() == 0  # stored and returned in UTC
    assert event.detail == {"format": "xlsx"}


def test_log_is_append_only(people):
    event = security_event_record(actor=people.admin, action=SecurityAction.LOGIN)
    event.action = "logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get(pk=event.pk).action == "login"


def test_admin_is_read_only(people, rf):
    model_admin = site._registry[SecurityEvent]
    request = rf.get("/")
    request.user = people.admin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    event = security_event_record(actor=people.admin, action=SecurityAction.LOGIN)
    client = client_for(people.admin)
    assert client.get(reverse("admin:security_securityevent_changelist")).status_code == 200
    assert client.get(reverse("admin:security_securityevent_change", args=[event.pk])).status_code == 200
    assert (
        client.post(
            reverse("admin:security_securityevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_log_page_for_administrators_only(people, django_assert_max_num_queries):
    for _ in range(60):
        security_event_record(actor=people.reporter_a, action=SecurityAction.LOGIN)
    client = client_for(people.admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("security:log"))
    assert response.status_code == 200
    assert "reporter_a" in response.content.decode()
    for user in (people.reporter_a, people.head_a, people.reporter_b, people.coordinator, people.viewer):
        assert client_for(user).get(reverse("security:log")).status_code == 403, user.username


def test_log_page_filters(people):
    security_event_record(actor=people.reporter_a, action=SecurityAction.EXPORT, target="x")
    security_event_record(actor=people.reporter_b, action=SecurityAction.UPLOAD, target="y")
    client = client_for(people.admin)
    page = client.get(reverse("security:log"), {"action": "upload"}).content.decode()
    assert "reporter_b" in page and "reporter_a" not in page
    page = client.get(reverse("security:log"), {"user": "reporter_a"}).content.decode()
    assert "reporter_a" in page and "reporter_b" not in page


def test_permission_refusal_is_logged(people):
    client_for(people.viewer).get(reverse("security:log"))
    event = SecurityEvent.objects.get(action=SecurityAction.PERMISSION_DENIED)
    assert event.actor_username == "viewer" and event.path == reverse("security:log")


def test_refused_object_of_another_agency_is_logged(people):
    # Permission-checked getters answer 404 for what the user may not see; a resolved view's 404 is recorded.
    from plantrack.plans.tests.factories import PlanFactory

    plan = PlanFactory()
    response = client_for(people.reporter_b).get(reverse("plans:detail", args=[plan.pk + 1000]))
    assert response.status_code == 404
    event = SecurityEvent.objects.get(action=SecurityAction.NOT_FOUND)
    assert event.actor_username == "reporter_b"


def test_unknown_url_is_not_logged(people):
    client_for(people.viewer).get("/khong-co-trang-nay/")
    assert not SecurityEvent.objects.filter(action=SecurityAction.NOT_FOUND).exists()


def test_role_change_in_admin_is_logged(people):
    client = client_for(people.admin)
    user = people.viewer
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "full_name": user.full_name,
            "email": "",
            "agency": people.agency_a.pk,
            "role": Role.HEAD,
            "is_active": "on",
            "must_change_password": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = SecurityEvent.objects.get(action=SecurityAction.ROLE_CHANGED)
    assert event.target == "viewer" and event.detail == {"from": "viewer", "to": "head"}
    assert SecurityEvent.objects.filter(action=SecurityAction.USER_CHANGED).exists()


def boom(request):
    raise RuntimeError("secret internal detail /etc/passwd")


urlpatterns = [path("boom/", boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_says_nothing_about_internals(people):
    client = Client(raise_request_exception=False)
    client.force_login(people.admin)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Đã có lỗi xảy ra" in body
    assert "secret internal detail" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_404_page_is_plain(people):
    response = client_for(people.viewer).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body and "urlpatterns" not in body and "Traceback" not in body


def test_log_page_shows_words_not_codes_and_exports_with_its_filters(people):
    security_event_record(
        actor=people.admin,
        action="org_change_applied",
        target="Sở Khoa học và Công nghệ",
        detail={"change": 7, "moved_users": 2},
    )
    security_event_record(
        actor=people.admin,
        action=SecurityAction.ROLE_CHANGED,
        detail={"role": {"from": "reporter", "to": "coordinator"}},
    )
    client = client_for(people.admin)
    html = client.get(reverse("security:log")).content.decode()
    table = html[html.index("<table") :]  # the filter's <select> carries the codes as option values
    assert "Áp dụng thay đổi tổ chức" in table and "org_change_applied" not in table
    assert "số tài khoản chuyển đơn vị: 2" in html
    assert "vai trò: Chuyên viên → Điều phối" in html
    assert "{&#x27;" not in html and "moved_users" not in html  # no Python dict, no raw keys

    response = client.get(reverse("security:log"), {"action": SecurityAction.ROLE_CHANGED, "xuat": "csv"})
    text = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert "Đổi vai trò" in text and "Áp dụng thay đổi tổ chức" not in text  # the filter is kept
