"""Login protection: lockout per user name and address, cool-off, the correct password refused while locked,
administrators lift it, and every step lands in the security log."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from plantrack.accounts.services import user_lockout_reset
from plantrack.security.models import SecurityAction, SecurityEvent

from .conftest import login_post

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def fail_until_locked(client, username: str, **extra):
    responses = [login_post(client, username, "sai-mat-khau", **extra) for _ in range(LIMIT)]
    return responses


def test_wrong_password_is_refused_and_logged_without_password(client, people):
    response = login_post(client, "reporter_a", "sai-mat-khau")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(action=SecurityAction.LOGIN_FAILED)
    assert event.actor_username == "reporter_a"
    assert event.ip_address == "127.0.0.1"
    assert "sai-mat-khau" not in str(event.detail)


def test_lockout_after_limit_refuses_correct_password(client, people):
    responses = fail_until_locked(client, "reporter_a")
    assert responses[-1].status_code == 429
    response = login_post(client, "reporter_a")  # the correct password
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert SecurityEvent.objects.filter(action=SecurityAction.LOCKOUT, target="reporter_a").exists()


def test_below_limit_correct_password_gets_in_and_resets_counter(client, people):
    for _ in range(LIMIT - 1):
        login_post(client, "reporter_a", "sai-mat-khau")
    response = login_post(client, "reporter_a")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="reporter_a").exists()


def test_lockout_is_per_username_and_address(client, people):
    fail_until_locked(client, "reporter_a", REMOTE_ADDR="10.0.0.5")
    # Same user from another address, and another user from the same address, are not locked.
    assert login_post(client, "reporter_a", REMOTE_ADDR="10.0.0.6").status_code == 302
    client.logout()
    assert login_post(client, "reporter_b", REMOTE_ADDR="10.0.0.5").status_code == 302
    client.logout()
    assert login_post(client, "reporter_a", REMOTE_ADDR="10.0.0.5").status_code == 429


def test_lockout_ends_after_cool_off(client, people):
    with time_machine.travel("2025-11-20 08:00 +0700", tick=False) as traveller:
        fail_until_locked(client, "reporter_a")
        traveller.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
        assert login_post(client, "reporter_a").status_code == 429
        # Failing during the lockout restarted the cool-off: wait the full period from the last failure.
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert login_post(client, "reporter_a").status_code == 302


def test_administrator_lifts_lockout_and_it_is_logged(client, people):
    fail_until_locked(client, "reporter_a")
    user_lockout_reset(actor=people.admin, user=people.reporter_a)
    assert login_post(client, "reporter_a").status_code == 302
    event = SecurityEvent.objects.get(action=SecurityAction.UNLOCK)
    assert event.actor_username == "admin" and event.target == "reporter_a"


def test_admin_action_unlock(client, people):
    fail_until_locked(client, "reporter_a")
    admin_client = client.__class__()
    admin_client.force_login(people.admin)
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "lockout_reset", "_selected_action": [people.reporter_a.pk]},
    )
    assert response.status_code == 302
    assert login_post(client, "reporter_a").status_code == 302


def test_forwarded_address_is_used_only_behind_a_trusted_proxy(client, people, settings):
    # Without a trusted proxy, a client cannot dodge the lockout by inventing X-Forwarded-For.
    for i in range(LIMIT):
        login_post(client, "reporter_a", "sai", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert login_post(client, "reporter_a", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    assert login_post(client, "reporter_a", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    assert SecurityEvent.objects.filter(action=SecurityAction.LOGIN, ip_address="198.51.100.7").exists()


def test_successful_login_is_logged_with_new_session_key(client, people):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    login_post(client, "reporter_a")
    assert client.session.session_key != before
    event = SecurityEvent.objects.get(action=SecurityAction.LOGIN)
    assert event.actor_id == people.reporter_a.pk
