"""Sessions: idle timeout, absolute lifetime, logout ends the server session, password change and deactivation end
the other sessions, an administrator ends a user's sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from plantrack.accounts.services import user_deactivate, user_sessions_end_by_admin
from plantrack.accounts.tests.factories import PASSWORD
from plantrack.security.models import SecurityAction, SecurityEvent, UserSession

from .conftest import login_post

pytestmark = pytest.mark.django_db

HOME = "/"
START = "2025-11-20 08:00 +0700"


def signed_in(client) -> bool:
    response = client.get(HOME)
    return response.status_code == 200


def test_idle_timeout(client, people):
    idle = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
    with time_machine.travel(START, tick=False) as traveller:
        login_post(client, "reporter_a")
        traveller.shift(idle - timedelta(minutes=2))
        assert signed_in(client)
        traveller.shift(idle - timedelta(minutes=2))  # active again before the timeout: still in
        assert signed_in(client)
        traveller.shift(idle + timedelta(seconds=1))
        response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    event = SecurityEvent.objects.get(action=SecurityAction.SESSION_EXPIRED)
    assert event.detail == {"reason": "idle"} and event.actor_username == "reporter_a"
    assert not signed_in(client)


def test_absolute_lifetime_even_when_active(client, people):
    lifetime = timedelta(seconds=settings.SESSION_ABSOLUTE_LIFETIME)
    step = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT) - timedelta(minutes=5)
    with time_machine.travel(START, tick=False) as traveller:
        login_post(client, "reporter_a")
        elapsed = timedelta(0)
        while elapsed + step < lifetime:
            traveller.shift(step)
            elapsed += step
            assert signed_in(client), elapsed
        traveller.shift(lifetime - elapsed)
        response = client.get(HOME)
    assert response.status_code == 302
    assert SecurityEvent.objects.get(action=SecurityAction.SESSION_EXPIRED).detail == {"reason": "absolute"}


def test_timeouts_follow_settings(client, people, settings):
    settings.SESSION_IDLE_TIMEOUT = 120
    with time_machine.travel(START, tick=False) as traveller:
        login_post(client, "reporter_a")
        traveller.shift(timedelta(seconds=119))
        assert signed_in(client)
        traveller.shift(timedelta(seconds=121))
        assert not signed_in(client)


def test_logout_ends_server_session(client, people):
    login_post(client, "reporter_a")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert SecurityEvent.objects.filter(action=SecurityAction.LOGOUT, actor_username="reporter_a").exists()


def two_browsers(username: str) -> tuple[Client, Client]:
    first, second = Client(), Client()
    login_post(first, username)
    login_post(second, username)
    assert signed_in(first) and signed_in(second)
    return first, second


def test_password_change_ends_other_sessions_keeps_current(people):
    first, second = two_browsers("reporter_a")
    other_key = second.session.session_key
    response = first.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-cum-tu-moi-rat-dai",
            "new_password2": "Mot-cum-tu-moi-rat-dai",
        },
    )
    assert response.status_code == 302
    assert signed_in(first)
    assert not Session.objects.filter(session_key=other_key).exists()
    assert not signed_in(second)
    # The current session is still tracked under its new key, so it can be ended later too.
    assert UserSession.objects.filter(user=people.reporter_a, session_key=first.session.session_key).exists()


def test_password_set_anywhere_ends_sessions(people):
    first, second = two_browsers("reporter_a")
    user = people.reporter_a
    user.set_password("Mat-khau-dat-tu-shell")
    user.save()
    assert not signed_in(first) and not signed_in(second)
    assert not UserSession.objects.filter(user=user).exists()


def test_deactivation_ends_sessions(people):
    first, second = two_browsers("reporter_a")
    keys = [first.session.session_key, second.session.session_key]
    user_deactivate(actor=people.admin, user=people.reporter_a)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not signed_in(first) and not signed_in(second)
    assert SecurityEvent.objects.filter(action=SecurityAction.USER_DEACTIVATED, target="reporter_a").exists()


def test_deactivation_in_admin_ends_sessions(people):
    first, _ = two_browsers("reporter_a")
    admin = Client()
    admin.force_login(people.admin)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [people.reporter_a.pk]},
    )
    assert response.status_code == 302
    assert not signed_in(first)


def test_administrator_ends_sessions_of_one_user_only(people):
    first, second = two_browsers("reporter_a")
    other = Client()
    login_post(other, "reporter_b")
    ended = user_sessions_end_by_admin(actor=people.admin, user=people.reporter_a)
    assert ended == 2
    assert not signed_in(first) and not signed_in(second)
    assert signed_in(other)
    event = SecurityEvent.objects.get(action=SecurityAction.SESSIONS_ENDED)
    assert event.target == "reporter_a" and event.detail == {"count": 2}


def test_admin_action_end_sessions(people):
    first, _ = two_browsers("reporter_a")
    admin = Client()
    admin.force_login(people.admin)
    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "end_sessions", "_selected_action": [people.reporter_a.pk]},
    )
    assert not signed_in(first)
    assert signed_in(admin)


def test_user_sees_and_ends_own_other_sessions(people):
    first, second = two_browsers("reporter_a")
    other_user = Client()
    login_post(other_user, "reporter_b")
    page = first.get(reverse("accounts:account")).content.decode()
    assert page.count("<tr><td>") == 2 and "phiên này" in page
    response = first.post(reverse("accounts:sessions_end_others"))
    assert response.status_code == 302
    assert signed_in(first) and not signed_in(second) and signed_in(other_user)
    assert SecurityEvent.objects.get(action=SecurityAction.SESSIONS_ENDED).detail == {
        "count": 1,
        "by": "self",
    }
