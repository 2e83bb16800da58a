"""Second factor (TOTP): enrolment, verification at login, refusal logged, enforcement for coordinators and
administrators when OTP_REQUIRED_FOR_PRIVILEGED is on, removal by the user or an administrator."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from plantrack.accounts.models import Membership
from plantrack.security.models import SecurityAction, SecurityEvent
from plantrack.security.tests.conftest import login_post

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset:06d}"[-6:]


def enrol(client, user) -> TOTPDevice:
    page = client.get(reverse("accounts:otp_setup"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrolment_then_code_asked_at_every_login(people):
    with time_machine.travel("2025-11-20 08:00 +0700", tick=False) as traveller:
        client = Client()
        login_post(client, "coordinator")
        device = enrol(client, people.coordinator)
        assert SecurityEvent.objects.filter(
            action=SecurityAction.OTP_ENROLLED, actor_username="coordinator"
        ).exists()
        client.post(reverse("logout"))

        client = Client()
        login_post(client, "coordinator")
        response = client.get("/")
        assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")
        assert client.get(reverse("orgs:list")).url == reverse("accounts:otp_verify")
        # The code used at enrolment cannot be replayed.
        assert client.post(reverse("accounts:otp_verify"), {"token": code_for(device)}).status_code == 200
        assert SecurityEvent.objects.filter(
            action=SecurityAction.OTP_FAILED, actor_username="coordinator"
        ).exists()
        assert client.get("/").status_code == 302
        # The next code (30 s later, after django-otp's throttling delay) gets in.
        traveller.shift(31)
        device.refresh_from_db()
        assert client.post(reverse("accounts:otp_verify"), {"token": code_for(device)}).status_code == 302
        assert client.get("/").status_code == 200
        assert SecurityEvent.objects.filter(action=SecurityAction.OTP_VERIFIED).exists()


def test_wrong_code_refused_and_throttled(people):
    with time_machine.travel("2025-11-20 08:00 +0700", tick=False) as traveller:
        client = Client()
        login_post(client, "coordinator")
        device = enrol(client, people.coordinator)
        client.post(reverse("logout"))
        traveller.shift(31)
        client = Client()
        login_post(client, "coordinator")
        good = code_for(device)
        wrong = "000000" if good != "000000" else "111111"
        for _ in range(3):
            assert client.post(reverse("accounts:otp_verify"), {"token": wrong}).status_code == 200
        # Throttled after three failures: even the right code waits (django-otp doubles the delay each time).
        assert client.post(reverse("accounts:otp_verify"), {"token": good}).status_code == 200
        assert SecurityEvent.objects.filter(action=SecurityAction.OTP_FAILED).count() == 4


def test_secret_shown_only_to_its_owner_and_not_in_log(people):
    client = Client()
    login_post(client, "coordinator")
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    secret = re.search(r'<code class="code">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    assert len(secret) >= 32
    assert not any(secret in str(event.detail) for event in SecurityEvent.objects.all())


def test_enrolment_wrong_code_is_refused(people):
    client = Client()
    login_post(client, "coordinator")
    client.get(reverse("accounts:otp_setup"))
    response = client.post(reverse("accounts:otp_setup"), {"token": "12345a"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=people.coordinator, confirmed=True).exists()


def test_not_required_by_default(people):
    for username in ("coordinator", "admin", "reporter_a"):
        client = Client()
        login_post(client, username)
        assert client.get("/").status_code == 200, username


def test_required_for_coordinators_and_administrators_when_switched_on(people, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True
    for username in ("coordinator", "admin"):
        client = Client()
        login_post(client, username)
        assert client.get("/").url == reverse("accounts:otp_setup"), username
        enrol(client, getattr(people, username))
        assert client.get("/").status_code == 200
    for username in ("reporter_a", "head_a", "viewer"):
        client = Client()
        login_post(client, username)
        assert client.get("/").status_code == 200, username


def test_required_for_a_reporter_who_also_coordinates(people, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True
    Membership.objects.create(user=people.reporter_a, agency=people.coordinator.agency, role="coordinator")
    client = Client()
    login_post(client, "reporter_a")
    assert client.get("/").url == reverse("accounts:otp_setup")


def test_user_disables_with_password(people):
    client = Client()
    login_post(client, "coordinator")
    enrol(client, people.coordinator)
    assert client.post(reverse("accounts:otp_disable"), {"password": "sai"}).status_code == 200
    assert TOTPDevice.objects.filter(user=people.coordinator).exists()
    from plantrack.accounts.tests.factories import PASSWORD

    assert client.post(reverse("accounts:otp_disable"), {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=people.coordinator).exists()
    assert SecurityEvent.objects.filter(action=SecurityAction.OTP_REMOVED).exists()


def test_administrator_resets_lost_device(people):
    client = Client()
    login_post(client, "coordinator")
    enrol(client, people.coordinator)
    admin = Client()
    admin.force_login(people.admin)
    admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "otp_reset", "_selected_action": [people.coordinator.pk]},
    )
    assert not TOTPDevice.objects.filter(user=people.coordinator).exists()
    client = Client()
    login_post(client, "coordinator")
    assert client.get("/").status_code == 200
