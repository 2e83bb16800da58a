"""An extra role (accounts.Membership) reaches everything the primary role reaches: reminders, notifications,
the heads a report is handed to, a plan's coordinators. Everyone is found through ``accounts.permissions.
role_holders``; a person holding the same agency twice is reached once, an expired membership not at all."""

import datetime

import pytest

from plantrack.accounts.models import AGENCY_ROLES, Membership, Role
from plantrack.accounts.permissions import role_holders, role_holders_by_agency
from plantrack.monitoring.models import ReminderLog
from plantrack.monitoring.services import reminders_send
from plantrack.notifications.models import Notification
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport
from plantrack.reporting.tests.factories import UserFactory

from .conftest import at, fill

DUE = datetime.date(2025, 12, 5)
DAY_AFTER_DUE = DUE + datetime.timedelta(days=1)


@pytest.fixture
def extra(world):
    """``only_extra``: reporter of C through a membership only (primary: viewer); ``both``: head of C primary and
    reporter of C by membership; ``expired``: reporter of C by a membership that ended yesterday."""
    today = datetime.date(2025, 12, 6)
    only_extra = UserFactory(username="only_extra", role="viewer", email="only@example.vn")
    Membership.objects.create(user=only_extra, agency=world.c, role="reporter")
    both = UserFactory(username="both", role="head", agency=world.c, email="both@example.vn")
    Membership.objects.create(user=both, agency=world.c, role="reporter")
    expired = UserFactory(username="expired", role="viewer", email="expired@example.vn")
    Membership.objects.create(
        user=expired, agency=world.c, role="reporter", valid_to=today - datetime.timedelta(days=1)
    )
    return {"only_extra": only_extra, "both": both, "expired": expired}


def test_a_reminder_reaches_an_extra_reporter_once_and_not_an_expired_one(
    world, cycle, extra, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(at(6), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        result = reminders_send(cycle=cycle, today=DAY_AFTER_DUE)
    to_c = next(p for p in result.sent if p.agency == world.c)
    keys = [r.key for r in to_c.recipients]
    assert sorted(keys) == sorted(
        {f"user:{extra['only_extra'].pk}", f"user:{extra['both'].pk}", f"user:{world.head_c.pk}"}
    )
    assert len(keys) == len(set(keys))
    logged = list(ReminderLog.objects.filter(agency=world.c).values_list("recipient__username", flat=True))
    assert sorted(logged) == ["both", "head_c", "only_extra"]
    mailed = [address for m in mailoutbox for address in m.to]
    assert mailed.count("only@example.vn") == 1
    assert mailed.count("both@example.vn") == 1
    assert "expired@example.vn" not in mailed
    assert not Notification.objects.filter(recipient=extra["expired"]).exists()
    assert Notification.objects.filter(recipient=extra["only_extra"]).count() == 1


def test_the_role_shown_for_a_recipient_is_the_role_held_in_that_agency(world, cycle, extra, time_machine):
    time_machine.move_to(at(6), tick=False)
    held = role_holders_by_agency(AGENCY_ROLES, [world.c.pk, world.a.pk])
    assert {u.username: role for u, role in held[world.c.pk]} == {
        "head_c": "head",
        "both": "head",
        "only_extra": "reporter",
    }
    assert {u.username for u, _role in held[world.a.pk]} == {"reporter_a", "head_a"}


def test_a_head_by_membership_is_notified_when_the_report_is_handed_over(world, cycle):
    acting = UserFactory(username="acting_head", role="reporter", agency=world.b)
    Membership.objects.create(user=acting, agency=world.a, role="head")
    report = fill(world.report(cycle, world.a), world.reporter_a)
    Notification.objects.all().delete()
    report = AgencyReport.objects.get(pk=report.pk)
    reporting.report_hand_over(actor=world.reporter_a, report=report, version=report.version)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"head_a", "acting_head"}


def test_an_extra_reporter_hears_that_the_cycle_opened_and_the_report_was_returned(world):
    extra_reporter = UserFactory(username="extra_reporter", role="viewer")
    Membership.objects.create(user=extra_reporter, agency=world.b, role="reporter")
    cycle = world.open_cycle()
    assert Notification.objects.filter(recipient=extra_reporter).count() == 1
    report = fill(world.report(cycle, world.b), world.reporter_b)
    reporting.report_submit(actor=world.head_b, report=report)
    reporting.report_return(
        actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk), comment="Bổ sung"
    )
    assert Notification.objects.filter(recipient=extra_reporter).count() == 3  # opened, sent, returned


def test_role_holders_counts_each_person_once_and_only_active_ones(world, extra, time_machine):
    time_machine.move_to(at(6), tick=False)
    world.head_c.is_active = False
    world.head_c.save()
    names = list(role_holders(AGENCY_ROLES, world.c).values_list("username", flat=True))
    assert sorted(names) == ["both", "only_extra"]
    assert list(role_holders(Role.COORDINATOR, [world.dept.pk]).values_list("username", flat=True)) == [
        "coordinator"
    ]
