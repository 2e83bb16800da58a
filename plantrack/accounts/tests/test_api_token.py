"""The API's sign-in is the pages' full login: password (with the lockout), the second factor when the user has one,
no token while a password change is due; tokens expire, each sign-in gets its own, and they are revoked with the
user's sessions. Sign-ins and refusals are in the security log."""

import datetime

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from plantrack.accounts import services
from plantrack.accounts.tests.factories import PASSWORD
from plantrack.security.models import SecurityAction, SecurityEvent

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
VN = datetime.timezone(datetime.timedelta(hours=7))


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"[-6:]


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(TOKEN_URL, {"username": username, "password": password, **extra})


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def test_a_user_enrolled_in_totp_gets_no_token_with_the_password_alone(client, people):
    device = TOTPDevice.objects.create(user=people.coordinator, name="phone", confirmed=True)
    with time_machine.travel(datetime.datetime(2025, 11, 20, 8, 0, tzinfo=VN), tick=False) as traveller:
        refused = sign_in(client, "coordinator")
        wrong = "000000" if code_for(device) != "000000" else "111111"
        wrong_code = sign_in(client, "coordinator", otp_token=wrong)

        assert refused.status_code == 400 and refused.json()["code"] == "otp_required"
        assert wrong_code.status_code == 400 and wrong_code.json()["code"] == "otp_invalid"
        assert not AuthToken.objects.filter(user=people.coordinator).exists()
        assert SecurityEvent.objects.filter(
            action=SecurityAction.OTP_FAILED, actor_username="coordinator"
        ).exists()

        traveller.shift(31)  # past django-otp's throttling delay after the wrong code, and a new code
        device.refresh_from_db()
        granted = sign_in(client, "coordinator", otp_token=code_for(device))
        assert granted.status_code == 200
        assert Client().get("/api/v1/reports/", **bearer(granted.json()["token"])).status_code == 200


def test_a_user_who_must_change_the_password_gets_no_token(client, people):
    people.head_a.must_change_password = True
    people.head_a.save(update_fields=["must_change_password"])

    response = sign_in(client, "head_a")

    assert response.status_code == 403 and response.json()["code"] == "password_change_required"
    assert not AuthToken.objects.exists()


def test_a_privileged_user_without_the_required_second_factor_gets_no_token(client, people, settings):
    settings.OTP_REQUIRED_FOR_PRIVILEGED = True

    response = sign_in(client, "coordinator")

    assert response.status_code == 403 and response.json()["code"] == "otp_enrolment_required"


def test_an_inactive_user_gets_no_token(client, people):
    services.user_deactivate(actor=people.admin, user=people.reporter_a)

    assert sign_in(client, "reporter_a").status_code == 400
    assert not AuthToken.objects.exists()


def test_token_failures_count_towards_the_login_lockout(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        sign_in(client, "reporter_a", "wrong")

    locked = sign_in(client, "reporter_a")

    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert not AuthToken.objects.exists()
    # The page login shares the lockout.
    assert client.post("/dang-nhap/", {"username": "reporter_a", "password": PASSWORD}).status_code == 429


def test_each_sign_in_issues_a_new_token_that_expires(client, people, settings):
    with time_machine.travel(datetime.datetime(2025, 11, 20, 8, 0, tzinfo=VN), tick=False) as traveller:
        first = sign_in(client, "reporter_a").json()
        second = sign_in(client, "reporter_a").json()
        assert first["token"] != second["token"]
        assert AuthToken.objects.filter(user=people.reporter_a).count() == 2
        expiry = datetime.datetime.fromisoformat(second["expiry"])
        assert expiry == datetime.datetime(2025, 11, 20, 16, 0, tzinfo=VN)  # API_TOKEN_TTL_HOURS = 8

        traveller.shift(datetime.timedelta(hours=7, minutes=59))
        assert client.get("/api/v1/reports/", **bearer(first["token"])).status_code == 200
        traveller.shift(datetime.timedelta(minutes=2))
        expired = client.get("/api/v1/reports/", **bearer(first["token"]))
        assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("how", ["password_change", "password_set_by_admin", "deactivation", "end_sessions"])
def test_tokens_are_revoked_with_the_sessions(client, people, how):
    token = sign_in(client, "reporter_a").json()["token"]
    assert client.get("/api/v1/reports/", **bearer(token)).status_code == 200
    user = people.reporter_a

    if how == "password_change":
        user.set_password("Mot-mat-khau-moi-2025")
        user.save()
    elif how == "password_set_by_admin":
        services.user_password_set_by_admin(
            actor=people.admin, user=user, new_password="Mot-mat-khau-moi-2025"
        )
    elif how == "deactivation":
        services.user_deactivate(actor=people.admin, user=user)
    else:
        services.user_sessions_end_by_admin(actor=people.admin, user=user)

    assert client.get("/api/v1/reports/", **bearer(token)).status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_token_sign_ins_and_refusals_are_in_the_security_log(client, people):
    sign_in(client, "reporter_a")
    sign_in(client, "reporter_a", "wrong")

    issued = SecurityEvent.objects.get(action=SecurityAction.API_TOKEN_ISSUED)
    assert issued.actor_username == "reporter_a" and issued.path == TOKEN_URL and issued.detail["expiry"]
    failed = SecurityEvent.objects.get(action=SecurityAction.LOGIN_FAILED)
    assert failed.actor_username == "reporter_a" and failed.path == TOKEN_URL
    assert "wrong" not in str(failed.detail)


def test_one_address_trying_many_accounts_is_locked(client, people, settings):
    """100 wrong passwords over 25 user names from one address: 4 per name stays under the per-name limit (5),
    but the per-address limit locks the address, for the page login and the token endpoint alike."""
    statuses = []
    for attempt in range(100):
        response = client.post("/dang-nhap/", {"username": f"nobody{attempt % 25}", "password": "wrong"})
        statuses.append(response.status_code)

    assert statuses[: settings.AXES_IP_FAILURE_LIMIT - 1].count(429) == 0
    assert statuses[-1] == 429 and statuses.count(429) >= 100 - settings.AXES_IP_FAILURE_LIMIT
    # The right password of an account never tried is refused from that address too, on the page and the API.
    assert client.post("/dang-nhap/", {"username": "viewer", "password": PASSWORD}).status_code == 429
    assert sign_in(client, "viewer").status_code == 429
    # From another address the account still signs in.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.9"), "viewer").status_code == 200


def test_the_token_endpoint_is_rate_limited(client, people, settings):
    for _ in range(10):
        assert sign_in(client, "reporter_a").status_code == 200

    assert sign_in(client, "reporter_a").status_code == 429
