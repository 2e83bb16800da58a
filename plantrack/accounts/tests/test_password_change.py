"""Passwords: validators, forced change at first login for administrator-created accounts (never for demo
accounts), the optional rotation period, and the change page."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from plantrack.accounts.models import Role, User
from plantrack.accounts.services import demo_accounts_ensure
from plantrack.accounts.tests.factories import PASSWORD, UserFactory
from plantrack.security.models import SecurityAction, SecurityEvent
from plantrack.security.tests.conftest import login_post

pytestmark = pytest.mark.django_db

NEW = "Cau-mat-khau-moi-2025"


def change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


@pytest.mark.parametrize("password", ["Ab1!xyz", "password", "12345678", "reporter_a1"])
def test_weak_passwords_refused(people, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=people.reporter_a)


@pytest.mark.parametrize("length", [8, 64, 100])
def test_long_passwords_accepted(people, length):
    password = ("Mot cum tu dai de nho " * 10)[: length - 1] + "!"
    assert len(password) == length
    validate_password(password, user=people.reporter_a)
    people.reporter_a.set_password(password)
    people.reporter_a.save()
    assert login_post(Client(), "reporter_a", password).status_code == 302


def admin_creates(username="moi.tao"):
    admin = UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": username,
            "full_name": "Người mới",
            "role": Role.VIEWER,
            "agency": "",
            "usable_password": "true",
            "password1": "Tam-thoi-2025-x",
            "password2": "Tam-thoi-2025-x",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=username)


def test_account_created_by_administrator_must_change_password_first(db):
    user = admin_creates()
    assert user.must_change_password
    assert SecurityEvent.objects.filter(action=SecurityAction.USER_CREATED, target="moi.tao").exists()
    client = Client()
    assert login_post(client, "moi.tao", "Tam-thoi-2025-x").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    assert client.get(reverse("orgs:list")).url == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert "Bạn cần đặt mật khẩu mới" in page.content.decode()
    assert change(client, old="Tam-thoi-2025-x").status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None
    assert SecurityEvent.objects.filter(
        action=SecurityAction.PASSWORD_CHANGED, actor_username="moi.tao"
    ).exists()


def test_forced_change_can_be_switched_off(db, settings):
    settings.PASSWORD_FORCE_CHANGE = False
    user = admin_creates()
    assert not user.must_change_password
    client = Client()
    login_post(client, "moi.tao", "Tam-thoi-2025-x")
    assert client.get("/").status_code == 200


def test_logout_reachable_during_forced_change(db):
    admin_creates()
    client = Client()
    login_post(client, "moi.tao", "Tam-thoi-2025-x")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_demo_accounts_are_never_forced(db, settings):
    from plantrack.accounts.services import DEMO_ACCOUNTS
    from plantrack.orgs.tests.factories import AgencyFactory

    for name in {spec.agency_name for spec in DEMO_ACCOUNTS if spec.agency_name}:
        AgencyFactory(name=name)
    settings.PASSWORD_MAX_AGE_DAYS = 1
    demo_accounts_ensure(password="Demo@2025")
    with time_machine.travel(timedelta(days=30)):
        for spec in DEMO_ACCOUNTS:
            client = Client()
            assert login_post(client, spec.username, "Demo@2025").status_code == 302
            assert client.get("/").status_code == 200, spec.username


def test_rotation_period(people, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client = Client()
    with time_machine.travel(timedelta(days=89)):
        login_post(client, "reporter_a")
        assert client.get("/").status_code == 200
    with time_machine.travel(timedelta(days=91)):
        client = Client()
        login_post(client, "reporter_a")
        assert client.get("/").url == reverse("accounts:password_change")
        assert change(client).status_code == 302
        assert client.get("/").status_code == 200


def test_rotation_off_by_default(people):
    with time_machine.travel(timedelta(days=3650)):
        client = Client()
        login_post(client, "reporter_a")
        assert client.get("/").status_code == 200


def test_change_requires_current_password_and_valid_new_one(people, client):
    login_post(client, "reporter_a")
    assert change(client, old="khong-dung").status_code == 200
    assert change(client, new="12345678").status_code == 200
    assert change(client, new=NEW, again=NEW + "x").status_code == 200
    people.reporter_a.refresh_from_db()
    assert people.reporter_a.check_password(PASSWORD)


def test_admin_sets_password_user_must_change(people):
    client = Client()
    client.force_login(people.admin)
    url = reverse("admin:auth_user_password_change", args=[people.reporter_a.pk])
    response = client.post(url, {"password1": "Dat-lai-2025-abc", "password2": "Dat-lai-2025-abc"})
    assert response.status_code == 302
    people.reporter_a.refresh_from_db()
    assert people.reporter_a.must_change_password
    event = SecurityEvent.objects.get(action=SecurityAction.PASSWORD_SET_BY_ADMIN)
    assert event.actor_username == "admin" and event.target == "reporter_a"


def test_account_page_for_everyone(people):
    for user in (people.reporter_a, people.viewer, people.admin):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("accounts:account"))
        assert response.status_code == 200
        assert user.username in response.content.decode()


def test_account_pages_need_login(client):
    for name in ("accounts:account", "accounts:password_change", "accounts:otp_setup"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_policy_settings_for_length_and_character_classes(people, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "plantrack.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    ]
    with pytest.raises(ValidationError):
        validate_password("Ngan-1aB", user=people.reporter_a)  # 8 characters
    with pytest.raises(ValidationError):
        validate_password("chi co chu thuong dai", user=people.reporter_a)  # one class (+ spaces = 2)
    validate_password("Cau mat khau Dai 2025", user=people.reporter_a)


def test_character_classes_off_by_default(people):
    validate_password("mot cum tu rat dai chi chu thuong", user=people.reporter_a)
