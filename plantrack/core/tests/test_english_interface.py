"""The English interface: switching the language turns the pages' words into English, including issue 15's."""

import pytest
from django.test import Client

from plantrack.reporting.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_to_english_and_back():
    user = UserFactory(username="an")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/thong-bao/"})
    html = client.get("/thong-bao/").content.decode()
    assert '<html lang="en">' in html
    assert "Menu" in html and "Trình đơn" not in html
    assert "Swipe sideways to see more" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/thong-bao/"})
    html = client.get("/thong-bao/").content.decode()
    assert '<html lang="vi">' in html and "Trình đơn" in html
