"""Administrators manage accounts in the product: create with a temporary password that must be changed, edit
agency and role, deactivate (sessions end) and reactivate, unlock after a lockout, issue a new temporary password.
Every change goes through accounts.services and lands in the security log."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plantrack.accounts.models import Role, User
from plantrack.accounts.services import (
    user_create,
    user_deactivate,
    user_password_reset,
    user_reactivate,
    user_unlock,
    user_update,
)
from plantrack.accounts.tests.factories import UserFactory
from plantrack.security.models import SecurityAction, SecurityEvent, UserSession
from plantrack.security.tests.conftest import login_post

pytestmark = pytest.mark.django_db


def shown_password(response) -> str:
    match = re.search(r'id="temporary-password">([^<]+)<', response.content.decode())
    assert match, "no temporary password on the page"
    return match.group(1)


def test_create_shows_a_temporary_password_once_and_forces_a_change(client, staff):
    admin = client.__class__()
    admin.force_login(staff.manager)
    response = admin.post(
        "/tai-khoan/quan-ly/moi/",
        {
            "username": "tran.b",
            "full_name": "Trần Thị B",
            "email": "b@example.vn",
            "phone": "0251 3822 111",
            "agency": staff.agency_a.pk,
            "role": "reporter",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = shown_password(response)
    user = User.objects.get(username="tran.b")
    assert (user.agency, user.role, user.must_change_password) == (staff.agency_a, Role.REPORTER, True)
    assert user.phone == "0251 3822 111"
    assert password not in str(list(SecurityEvent.objects.values_list("detail", "target")))
    event = SecurityEvent.objects.get(action=SecurityAction.USER_CREATED, target="tran.b")
    assert event.actor_username == "manager"
    # The person logs in with it and is sent to choose their own password first.
    assert login_post(client, "tran.b", password).status_code == 302
    assert client.get("/").url == "/tai-khoan/doi-mat-khau/"
    # The user page does not show the password again.
    assert password not in admin.get(f"/tai-khoan/quan-ly/{user.pk}/").content.decode()


def test_create_refuses_a_taken_name_whatever_the_case_and_an_agency_role_without_agency(staff):
    with pytest.raises(ValidationError) as taken:
        user_create(actor=staff.manager, username="Reporter_A", full_name="X", role=Role.VIEWER)
    assert "username" in taken.value.error_dict
    with pytest.raises(ValidationError) as no_agency:
        user_create(actor=staff.manager, username="x", full_name="X", role=Role.HEAD)
    assert "agency" in no_agency.value.error_dict
    assert not User.objects.filter(username="x").exists()


def test_create_form_shows_the_rule_error_on_its_field(client, staff):
    client.force_login(staff.manager)
    response = client.post(
        "/tai-khoan/quan-ly/moi/",
        {"username": "x", "full_name": "X", "email": "", "agency": "", "role": "head"},
    )
    assert response.status_code == 200
    assert "cần chọn cơ quan, đơn vị" in response.content.decode()


def test_role_change_is_logged_with_from_and_to(client, staff):
    client.force_login(staff.manager)
    response = client.post(
        f"/tai-khoan/quan-ly/{staff.reporter_a.pk}/",
        {
            "full_name": "Chuyên viên A",
            "email": "",
            "agency": staff.agency_a.pk,
            "role": "head",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    staff.reporter_a.refresh_from_db()
    assert staff.reporter_a.role == Role.HEAD
    event = SecurityEvent.objects.get(action=SecurityAction.ROLE_CHANGED)
    assert (event.target, event.detail) == ("reporter_a", {"from": "reporter", "to": "head"})
    changed = SecurityEvent.objects.get(action=SecurityAction.USER_CHANGED)
    assert set(changed.detail["changes"]) == {"role", "full_name"}


def test_unticking_active_deactivates_and_ends_sessions(client, staff):
    victim = client.__class__()
    login_post(victim, "reporter_b")
    assert UserSession.objects.filter(user=staff.reporter_b).exists()
    client.force_login(staff.manager)
    client.post(
        f"/tai-khoan/quan-ly/{staff.reporter_b.pk}/",
        {"full_name": "B", "email": "", "agency": staff.agency_b.pk, "role": "reporter"},
    )
    staff.reporter_b.refresh_from_db()
    assert not staff.reporter_b.is_active
    assert not UserSession.objects.filter(user=staff.reporter_b).exists()
    assert victim.get("/").status_code == 302  # signed out
    assert SecurityEvent.objects.filter(action=SecurityAction.USER_DEACTIVATED, target="reporter_b").exists()


def test_deactivate_then_reactivate(client, staff):
    user_deactivate(actor=staff.manager, user=staff.reporter_b)
    assert login_post(client, "reporter_b").status_code == 200  # refused
    user_reactivate(actor=staff.manager, user=staff.reporter_b)
    assert login_post(client, "reporter_b").status_code == 302
    assert SecurityEvent.objects.filter(action=SecurityAction.USER_ACTIVATED, target="reporter_b").exists()


def test_an_administrator_cannot_lock_themselves_out(client, staff):
    with pytest.raises(ValidationError):
        user_deactivate(actor=staff.manager, user=staff.manager)
    with pytest.raises(ValidationError):
        user_update(
            actor=staff.manager,
            user=staff.manager,
            full_name="M",
            email="",
            agency=None,
            role=Role.VIEWER,
            is_active=True,
        )
    staff.manager.refresh_from_db()
    assert staff.manager.is_active and staff.manager.role == Role.ADMIN
    client.force_login(staff.manager)
    response = client.post(f"/tai-khoan/quan-ly/{staff.manager.pk}/khoa/", follow=True)
    assert "tự khóa" in response.content.decode()


def test_unlock_after_lockout(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_post(client, "reporter_a", "sai")
    assert login_post(client, "reporter_a").status_code == 429
    admin = client.__class__()
    admin.force_login(staff.manager)
    listing = admin.get("/tai-khoan/quan-ly/?state=locked").content.decode()
    assert ">reporter_a<" in listing and ">reporter_b<" not in listing
    assert admin.post(f"/tai-khoan/quan-ly/{staff.reporter_a.pk}/mo-khoa-dang-nhap/").status_code == 302
    assert not AccessAttempt.objects.filter(username="reporter_a").exists()
    assert login_post(client, "reporter_a").status_code == 302
    assert SecurityEvent.objects.get(action=SecurityAction.UNLOCK).actor_username == "manager"


def test_unlock_service_logs_even_when_nothing_was_locked(staff):
    assert user_unlock(actor=staff.manager, user=staff.viewer) == 0
    assert SecurityEvent.objects.filter(action=SecurityAction.UNLOCK, target="viewer").exists()


def test_admin_issued_password_ends_sessions_and_must_be_changed(client, staff):
    login_post(client, "reporter_a")
    admin = client.__class__()
    admin.force_login(staff.manager)
    password = shown_password(admin.post(f"/tai-khoan/quan-ly/{staff.reporter_a.pk}/dat-lai-mat-khau/"))
    assert client.get("/").status_code == 302  # the old session ended
    staff.reporter_a.refresh_from_db()
    assert staff.reporter_a.must_change_password and staff.reporter_a.check_password(password)
    login_post(client, "reporter_a", password)
    assert client.get("/").url == "/tai-khoan/doi-mat-khau/"
    assert SecurityEvent.objects.filter(
        action=SecurityAction.PASSWORD_SET_BY_ADMIN, target="reporter_a"
    ).exists()


def test_an_administrator_does_not_reset_their_own_password_here(staff):
    with pytest.raises(ValidationError):
        user_password_reset(actor=staff.manager, user=staff.manager)


def test_list_search_ignores_diacritics_and_filters(client, staff):
    UserFactory(username="nguyen.hoa", full_name="Nguyễn Thị Hòa", role=Role.REPORTER, agency=staff.agency_b)
    UserFactory(username="le.khai", full_name="Lê Văn Khải", role=Role.VIEWER, email="khai@example.vn")
    client.force_login(staff.manager)

    def found(query: str) -> set[str]:
        key, _, value = query.partition("=")
        html = client.get("/tai-khoan/quan-ly/", {key: value.replace("+", " ")}).content.decode()
        return set(re.findall(r'/tai-khoan/quan-ly/\d+/">([^<]+)</a>', html))

    assert found("q=nguyen+thi+hoa") == {"nguyen.hoa"}
    assert found("q=KHẢI") == {"le.khai"}
    assert found("q=hoa") == {"nguyen.hoa"}  # "Hòa" as a word, not "hoat"
    assert found(f"agency={staff.agency_b.pk}") == {"reporter_b", "head_b", "nguyen.hoa"}
    assert found("role=viewer") == {"viewer", "le.khai"}
    user_deactivate(actor=staff.manager, user=staff.head_b)
    assert found("state=inactive") == {"head_b"}


def test_list_query_count_does_not_grow_with_users(client, staff):
    client.force_login(staff.manager)
    client.get("/tai-khoan/quan-ly/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/tai-khoan/quan-ly/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(20):
        UserFactory(username=f"extra{i}", role=Role.REPORTER, agency=staff.agency_a)
    assert count() == before


def test_list_is_paginated(client, staff):
    for i in range(55):
        UserFactory(username=f"bulk{i:02d}")
    client.force_login(staff.manager)
    first = client.get("/tai-khoan/quan-ly/?q=bulk").content.decode()
    assert "Trang 1/2" in first and "page=2" in first
    second = client.get("/tai-khoan/quan-ly/?q=bulk&page=2").content.decode()
    assert second.count("/tai-khoan/quan-ly/") > 5 and ">bulk54<" in second


def test_list_filters_and_export_count_extra_roles(client, staff):
    """Filtering by agency or role finds whoever holds it, by the primary role or an extra role valid today; the
    export names the extra roles."""
    import datetime

    from plantrack.accounts.models import Membership

    acting = UserFactory(username="acting.head", role=Role.REPORTER, agency=staff.agency_a)
    Membership.objects.create(user=acting, agency=staff.agency_b, role=Role.HEAD)
    ended = UserFactory(username="ended.head", role=Role.VIEWER)
    Membership.objects.create(
        user=ended,
        agency=staff.agency_b,
        role=Role.HEAD,
        valid_to=datetime.date.today() - datetime.timedelta(1),
    )
    client.force_login(staff.manager)

    def found(**params) -> set[str]:
        html = client.get("/tai-khoan/quan-ly/", params).content.decode()
        return set(re.findall(r'/tai-khoan/quan-ly/\d+/">([^<]+)</a>', html))

    assert found(agency=staff.agency_b.pk) == {"reporter_b", "head_b", "acting.head"}
    assert found(agency=staff.agency_b.pk, role="head") == {"head_b", "acting.head"}
    assert "acting.head" in found(role="head") and "ended.head" not in found(role="head")
    assert "acting.head" in found(agency=staff.agency_a.pk)  # the primary agency still counts
    text = client.get("/tai-khoan/quan-ly/", {"agency": staff.agency_b.pk, "xuat": "csv"}).content.decode(
        "utf-8-sig"
    )
    row = next(line for line in text.splitlines() if line.startswith("acting.head,"))
    assert f"Lãnh đạo đơn vị — {staff.agency_b.name}" in row
