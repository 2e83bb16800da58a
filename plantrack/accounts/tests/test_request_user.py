"""The user of a request comes with its agency, whether it holds an extra role today and its unread notifications,
all read with the user row (accounts.backends): a signed-in page pays two queries (session, user) before its own
work, and every answer is as fresh as the database."""

import datetime

import pytest
from django.urls import reverse

from plantrack.accounts.backends import request_user_queryset
from plantrack.accounts.models import Membership, Role
from plantrack.accounts.permissions import hats, hats_forget, is_coordinator
from plantrack.notifications.models import Notification
from plantrack.notifications.services import notifications_mark_all_read, notify

pytestmark = pytest.mark.django_db

MONITORING_MENU = "Theo dõi, đôn đốc"


def _page(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    return response


def test_a_signed_in_page_loads_session_and_user_in_two_queries(client, people, django_assert_num_queries):
    notify(recipients=[people.reporter_a], subject="Một")
    client.force_login(people.reporter_a)
    _page(client)
    # session, user (with agency, extra-role flag and unread count), then the list's own count and rows
    with django_assert_num_queries(4):
        html = _page(client).content.decode()
    assert people.agency_a.display_short in html  # the top bar's agency, read with the user


def test_a_user_with_an_extra_role_pays_one_query_more_and_gets_its_menu(
    client, people, django_assert_num_queries
):
    Membership.objects.create(user=people.reporter_b, agency=people.coordinator.agency, role=Role.COORDINATOR)
    notify(recipients=[people.reporter_b], subject="Một")
    client.force_login(people.reporter_b)
    _page(client)
    with django_assert_num_queries(5):
        html = _page(client).content.decode()
    assert MONITORING_MENU in html


def test_an_extra_role_counts_from_the_next_request_and_an_expired_one_never(client, people):
    client.force_login(people.reporter_b)
    assert MONITORING_MENU not in _page(client).content.decode()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    expired = Membership.objects.create(
        user=people.reporter_b, agency=people.coordinator.agency, role=Role.COORDINATOR, valid_to=yesterday
    )
    assert MONITORING_MENU not in _page(client).content.decode()
    expired.valid_to = None
    expired.save()
    assert MONITORING_MENU in _page(client).content.decode()
    expired.delete()
    assert MONITORING_MENU not in _page(client).content.decode()


def test_the_unread_count_is_read_afresh_on_every_request(client, people):
    client.force_login(people.reporter_a)
    assert _page(client).context["unread_notifications"] == 0
    notify(recipients=[people.reporter_a, people.reporter_b], subject="Hai người")
    notify(recipients=[people.reporter_b], subject="Chỉ Bình")
    assert _page(client).context["unread_notifications"] == 1
    notifications_mark_all_read(actor=people.reporter_a)
    assert _page(client).context["unread_notifications"] == 0
    assert Notification.objects.filter(recipient=people.reporter_b, read_at__isnull=True).count() == 2


def test_the_request_user_answers_like_a_plain_user(people):
    Membership.objects.create(user=people.reporter_b, agency=people.coordinator.agency, role=Role.COORDINATOR)
    for person in (people.reporter_a, people.reporter_b, people.coordinator, people.viewer):
        loaded = request_user_queryset().get(pk=person.pk)
        plain = type(person).objects.get(pk=person.pk)
        assert hats(loaded) == hats(plain)
        assert loaded.agency_id == plain.agency_id


def test_forgetting_the_roles_reads_the_memberships_again(people):
    user = request_user_queryset().get(pk=people.reporter_b.pk)
    assert not is_coordinator(user)
    Membership.objects.create(user=people.reporter_b, agency=people.coordinator.agency, role=Role.COORDINATOR)
    assert not is_coordinator(user)  # answered once per user object
    hats_forget(user)
    assert is_coordinator(user)
