"""The login page says what to do: a refused login tells how many tries remain before the lockout, the lockout
page until when and whom to ask, and "Quên mật khẩu?" mails a link (made absolute with PLANTRACK_SITE_URL) that
sets a new password, ends the old sessions and lifts the lockout."""

import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from plantrack.security.models import SecurityAction, SecurityEvent, UserSession
from plantrack.security.tests.conftest import login_post

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def test_a_refused_login_counts_down_the_tries_left(client, staff):
    first = login_post(client, "reporter_a", "sai").content.decode()
    assert f"Còn {LIMIT - 1} lần thử" in first
    assert "Quên mật khẩu?" in first
    second = login_post(client, "reporter_a", "sai").content.decode()
    assert f"Còn {LIMIT - 2} lần thử" in second
    # Counted per user name and address: another address starts afresh.
    assert (
        f"Còn {LIMIT - 1} lần thử"
        in login_post(client, "reporter_a", "sai", REMOTE_ADDR="10.9.9.9").content.decode()
    )


def test_the_lockout_page_says_until_when_and_whom_to_ask(client, staff, settings):
    settings.PLANTRACK_HELPDESK = "Phòng CNTT Sở KH&CN, 0251 3822 000"
    with time_machine.travel("2025-11-20 08:00 +0700", tick=False):
        for _ in range(LIMIT):
            response = login_post(client, "reporter_a", "sai")
    assert response.status_code == 429
    html = response.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"hãy thử lại sau 08:{minutes:02d}" in html
    assert "Phòng CNTT Sở KH&amp;CN, 0251 3822 000" in html
    assert 'href="/tai-khoan/quen-mat-khau/"' in html


def test_forgotten_password_by_mail_link(client, staff, settings):
    settings.PLANTRACK_SITE_URL = "https://plantrack.example.gov.vn"
    staff.reporter_a.email = "a@example.vn"
    staff.reporter_a.save()
    other = client.__class__()
    login_post(other, "reporter_a")
    for _ in range(LIMIT):
        login_post(client, "reporter_a", "sai")

    assert 'href="/tai-khoan/quen-mat-khau/"' in client.get("/dang-nhap/").content.decode()
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "A@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"https://plantrack\.example\.gov\.vn(/tai-khoan/dat-lai-mat-khau/\S+/)", body).group(1)
    assert "reporter_a" in body

    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.request["PATH_INFO"],
        {"new_password1": "Mot-cum-tu-moi-2025", "new_password2": "Mot-cum-tu-moi-2025"},
    )
    assert done.status_code == 302 and done.url == "/tai-khoan/dat-lai-mat-khau/xong/"
    staff.reporter_a.refresh_from_db()
    assert staff.reporter_a.check_password("Mot-cum-tu-moi-2025")
    assert not UserSession.objects.filter(user=staff.reporter_a).exists()  # the other browser is out
    assert login_post(client, "reporter_a", "Mot-cum-tu-moi-2025").status_code == 302  # lockout lifted
    assert SecurityEvent.objects.filter(
        action=SecurityAction.PASSWORD_RESET_REQUESTED, target="reporter_a"
    ).exists()
    assert SecurityEvent.objects.filter(
        action=SecurityAction.PASSWORD_RESET_BY_LINK, target="reporter_a"
    ).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, staff):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.vn"})
    assert response.status_code == 302 and response.url == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mail.outbox == []
    assert SecurityEvent.objects.get(action=SecurityAction.PASSWORD_RESET_REQUESTED).detail == {"accounts": 0}
