"""Every monitoring URL for every persona (readthedocs-style): the dashboard for the plan's coordinators and for
viewers; reminders and urging letters for the plan's coordinators only; agency members, the coordinator of
another department and administrators are refused (403 on a cycle they may otherwise read, 404 on a letter).

Each request runs in a savepoint that is rolled back. A route added later and not listed here makes
``test_every_route_is_walked`` fail.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from plantrack.monitoring.escalation import escalation_record
from plantrack.monitoring.services import urging_letter_prepare

from .conftest import at

PERSONAS = [
    "anonymous",
    "reporter_a",
    "head_a",
    "reporter_b",
    "head_b",
    "coordinator",
    "other_coordinator",
    "viewer",
    "admin",
]
LOGGED_IN = set(PERSONAS) - {"anonymous"}


def table(anonymous: int = 302, **groups) -> dict[str, int]:
    """``table(_200=[...], _403=[...])``: every signed-in persona must be placed exactly once."""
    result = {"anonymous": anonymous}
    for key, people in groups.items():
        for person in people:
            assert person not in result, person
            result[person] = int(key.lstrip("_"))
    assert set(result) == set(PERSONAS), set(PERSONAS) - set(result)
    return result


@pytest.fixture
def state(world, cycle, time_machine):
    time_machine.move_to(at(8), tick=False)
    letter = urging_letter_prepare(actor=world.coordinator, cycle=cycle, today=datetime.date(2025, 12, 8))
    escalation = escalation_record(
        actor=world.coordinator, cycle=cycle, agency_ids=[world.b.pk], today=datetime.date(2025, 12, 8)
    )
    return {
        "cycle": cycle.pk,
        "plan": cycle.plan_id,
        "letter": letter,
        "letter_pk": letter.pk,
        "escalation": escalation.pk,
        "agency_b": world.b.pk,
    }


def letter_post(letter) -> dict:
    return {
        "parent_body": letter.parent_body,
        "issuing_body": letter.issuing_body,
        "number": "12",
        "symbol": "SKHCN-QLKH",
        "place": letter.place,
        "letter_date": "08/12/2025",
        "subject": letter.subject,
        "addressees": letter.addressees,
        "body": letter.body,
        "new_deadline": "15/12/2025",
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn A",
        "recipients": letter.recipients,
    }


def routes(s: dict) -> list[tuple[str, str, str, dict, dict[str, int]]]:
    c, letter = s["cycle"], s["letter_pk"]
    watchers = table(_200=["coordinator", "viewer"], _403=LOGGED_IN - {"coordinator", "viewer"})
    urgers_get = table(_200=["coordinator"], _403=LOGGED_IN - {"coordinator"})
    urgers_post = table(_302=["coordinator"], _403=LOGGED_IN - {"coordinator"})
    letter_get = table(_200=["coordinator"], _404=LOGGED_IN - {"coordinator"})
    schedule = {
        "days_before": "30, 7, 1",
        "days_after": "1",
        "repeat_every_days": "7",
        "repeat_limit": "0",
        "is_active": "on",
    }
    return [
        (
            "monitoring:index",
            "get",
            "/theo-doi/",
            {},
            table(
                _200=["coordinator", "other_coordinator", "viewer"],
                _403=LOGGED_IN - {"coordinator", "other_coordinator", "viewer"},
            ),
        ),
        ("monitoring:dashboard", "get", f"/theo-doi/ky/{c}/", {}, watchers),
        ("monitoring:dashboard", "get", "/theo-doi/ky/99999/", {}, table(_404=LOGGED_IN)),
        ("monitoring:dashboard_csv", "get", f"/theo-doi/ky/{c}/csv/", {}, watchers),
        ("monitoring:reminders", "get", f"/theo-doi/ky/{c}/nhac-han/", {}, urgers_get),
        ("monitoring:reminders", "post", f"/theo-doi/ky/{c}/nhac-han/", schedule, urgers_post),
        ("monitoring:reminders_send", "post", f"/theo-doi/ky/{c}/nhac-han/gui/", {}, urgers_post),
        ("monitoring:reminders_send", "get", f"/theo-doi/ky/{c}/nhac-han/gui/", {}, table(_405=LOGGED_IN)),
        ("monitoring:letter_create", "post", f"/theo-doi/ky/{c}/cong-van/moi/", {}, urgers_post),
        ("monitoring:letter_edit", "get", f"/theo-doi/cong-van/{letter}/", {}, letter_get),
        (
            "monitoring:letter_edit",
            "post",
            f"/theo-doi/cong-van/{letter}/",
            letter_post(s["letter"]),
            table(_302=["coordinator"], _404=LOGGED_IN - {"coordinator"}),
        ),
        ("monitoring:letter_docx", "get", f"/theo-doi/cong-van/{letter}/docx/", {}, letter_get),
        ("monitoring:escalation_create", "get", f"/theo-doi/ky/{c}/bao-cao-ubnd/moi/", {}, urgers_get),
        (
            "monitoring:escalation_create",
            "post",
            f"/theo-doi/ky/{c}/bao-cao-ubnd/moi/",
            {"agencies": [s["agency_b"]]},
            urgers_post,
        ),
        ("monitoring:escalation_detail", "get", f"/theo-doi/bao-cao-ubnd/{s['escalation']}/", {}, letter_get),
        (
            "monitoring:escalation_docx",
            "get",
            f"/theo-doi/bao-cao-ubnd/{s['escalation']}/docx/",
            {},
            letter_get,
        ),
        ("monitoring:task_timeliness", "get", f"/theo-doi/ke-hoach/{s['plan']}/thoi-han/", {}, watchers),
        (
            "monitoring:task_timeliness",
            "get",
            "/theo-doi/ke-hoach/99999/thoi-han/",
            {},
            table(_404=LOGGED_IN),
        ),
    ]


def _names(resolver, namespace="") -> set[str]:
    names = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(namespace + p.name)
    return names


def test_every_route_is_walked(state):
    mine = {n for n in _names(get_resolver()) if n.startswith("monitoring:")}
    assert mine - {r[0] for r in routes(state)} == set(), "routes without an access expectation"


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, world, state, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    failures = []
    for name, method, path, data, expected in routes(state):
        with transaction.atomic():
            response = getattr(client, method)(path, data)
            transaction.set_rollback(True)
        if response.status_code != expected[persona]:
            failures.append(f"{method.upper()} {path} ({name}): {response.status_code} ≠ {expected[persona]}")
    assert not failures, "\n".join(failures)


def test_nav_shows_monitoring_to_coordinators_and_viewers_only(client, world, state):
    for persona, shown in (("coordinator", True), ("viewer", True), ("head_a", False), ("admin", False)):
        client.force_login(getattr(world, persona))
        assert ('href="/theo-doi/"' in client.get("/").content.decode()) is shown, persona


def test_the_cycle_page_links_to_the_dashboard(client, world, state):
    client.force_login(world.coordinator)
    assert (
        f'href="/theo-doi/ky/{state["cycle"]}/"'
        in client.get(f"/bao-cao/ky/{state['cycle']}/").content.decode()
    )
    client.force_login(world.head_a)
    assert "/theo-doi/ky/" not in client.get(f"/bao-cao/ky/{state['cycle']}/").content.decode()
