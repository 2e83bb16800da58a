"""Management pages (admin, security log) can be limited to given networks and office hours."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from plantrack.security.models import SecurityAction, SecurityEvent

pytestmark = pytest.mark.django_db

PAGES = ["admin:index", "security:log"]


def admin_client(people, address="10.0.0.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(people.admin)
    return client


def test_no_restriction_by_default(people):
    client = admin_client(people, "203.0.113.9")
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200


def test_only_from_allowed_networks(people, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/24", "192.168.1.10"]
    for name in PAGES:
        assert admin_client(people, "10.0.0.5").get(reverse(name)).status_code == 200
        assert admin_client(people, "10.0.1.5").get(reverse(name)).status_code == 403
    # The rest of the site is not affected.
    assert admin_client(people, "10.0.1.5").get("/").status_code == 200
    assert (
        SecurityEvent.objects.filter(action=SecurityAction.PERMISSION_DENIED, ip_address="10.0.1.5").count()
        == 2
    )


def test_only_within_office_hours(people, settings):
    settings.ADMIN_ACCESS_HOURS = "07:00-19:00"
    with time_machine.travel("2025-11-20 18:59 +0700", tick=False):
        assert admin_client(people).get(reverse("admin:index")).status_code == 200
    with time_machine.travel("2025-11-20 19:00 +0700", tick=False):
        assert admin_client(people).get(reverse("admin:index")).status_code == 403
        assert admin_client(people).get(reverse("security:log")).status_code == 403
