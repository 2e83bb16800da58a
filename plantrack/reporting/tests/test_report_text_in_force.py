"""A report answers to the plan as it stood when its cycle opened (docs/design/plan-amendments.md): after an
amendment rewrites a task and takes agency A off it, A's report pages and its frozen submission show the old text
and the amendment's closing note; a report of a cycle opened after the amendment shows the new text."""

import datetime

import pytest
from django.urls import reverse

from plantrack.plans.amendments import amendment_apply, amendment_change_add, amendment_create
from plantrack.plans.models import Amendment, ChangeKind
from plantrack.reporting import services

from .conftest import fill

OLD = "Tuyên truyền, phổ biến Kế hoạch"  # T1 as the world writes it
NEW = "Tuyên truyền, phổ biến Kế hoạch trên nền tảng số của tỉnh"
NOTE = "Không còn được giao theo Kế hoạch số 7/KH-UBND ngày 15/11/2025"


@pytest.fixture
def amended(world, cycle):
    """The 2025 cycle is open; amendment 7/KH-UBND rewrites T1 and gives its lead to B (A was T1's lead)."""
    amendment = amendment_create(
        actor=world.coordinator,
        plan=world.plan,
        number="7/KH-UBND",
        issued_on=datetime.date(2025, 11, 15),
        issuer="UBND tỉnh",
        title="Sửa đổi, bổ sung Kế hoạch 99",
    )
    amendment_change_add(
        actor=world.coordinator,
        amendment=amendment,
        kind=ChangeKind.TASK_CHANGE,
        task=world.t1,
        payload={"text": NEW, "leads": [world.b.pk]},
    )
    amendment_apply(actor=world.coordinator, amendment=Amendment.objects.get(pk=amendment.pk))
    world.t1.refresh_from_db()
    assert world.t1.text == NEW
    return cycle


def test_the_entry_keeps_the_old_text_and_carries_the_closing_note(world, amended):
    entry = world.report(amended, world.a).entries.get(task=world.t1)
    assert (entry.task_text_in_force, entry.closed_note) == (OLD, NOTE)


def test_report_pages_show_the_text_in_force_for_that_report(world, amended, client):
    report = world.report(amended, world.a)
    client.force_login(world.reporter_a)
    for name in ("reporting:report_detail", "reporting:report_edit"):
        html = client.get(reverse(name, args=[report.pk])).content.decode()
        assert OLD in html and NOTE in html, name
        assert NEW not in html, name


def test_the_frozen_submission_carries_the_text_and_the_note(world, amended, client):
    report = fill(world.report(amended, world.a), world.reporter_a)
    services.report_submit(actor=world.head_a, report=report)
    submission = report.submissions.get()
    entries = {e["task_code"]: e for e in submission.snapshot["entries"]}
    assert (entries["III.1.a"]["task_text"], entries["III.1.a"]["closed_note"]) == (OLD, NOTE)
    assert (entries["III.1.b"]["task_text"], entries["III.1.b"]["closed_note"]) == (world.t2.text, "")

    client.force_login(world.coordinator)
    html = client.get(reverse("reporting:submission_detail", args=[report.pk, submission.number])).content
    html = html.decode()
    assert OLD in html and NOTE in html and NEW not in html


def test_a_cycle_opened_after_the_amendment_answers_to_the_new_text(world, amended, client):
    later = world.open_cycle(year=2026)
    report = world.report(later, world.b)
    assert report.entries.get(task=world.t1).task_text_in_force == NEW
    services.report_submit(actor=world.head_b, report=fill(report, world.reporter_b))
    submission = report.submissions.get()
    assert {e["task_code"]: e["task_text"] for e in submission.snapshot["entries"]}["III.1.a"] == NEW
    assert not world.report(later, world.a).entries.filter(task=world.t1).exists()
