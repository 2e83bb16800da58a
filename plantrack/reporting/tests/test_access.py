"""Every URL and every API route of reporting, notifications and the API, for every persona (readthedocs-style).

The state: agency A's report is submitted (with evidence on the task it leads, T1, and on the task it coordinates,
T2); agency B's report is a draft (with evidence). B leads T2, so B may download A's T2 evidence once A submitted.
Each request runs in a savepoint that is rolled back, so a POST never changes what the next request sees.

A route added later and not listed here makes ``test_every_route_is_walked`` fail.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from knox.models import AuthToken

from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport
from plantrack.reporting.services import evidence_add_file, report_submit

from . import samples
from .conftest import fill

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
OWN_A = {"reporter_a", "head_a"}
OWN_B = {"reporter_b", "head_b"}
OUTSIDERS_OF_A = {"reporter_b", "head_b", "other_coordinator"}
READERS_OF_A = OWN_A | {"coordinator", "viewer", "admin"}


def expect(default: int, anonymous: int = 302, **overrides) -> dict[str, int]:
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = anonymous
    for key, value in overrides.items():
        table[key] = value
    return table


def by_groups(anonymous: int = 302, **groups) -> dict[str, int]:
    """``by_groups(_200=READERS, _404=OTHERS)`` → a full table; every persona must be placed exactly once."""
    table = {"anonymous": anonymous}
    for key, people in groups.items():
        for person in people:
            assert person not in table, person
            table[person] = int(key.lstrip("_"))
    assert set(table) == set(PERSONAS), set(PERSONAS) - set(table)
    return table


EVERYONE = set(PERSONAS) - {"anonymous"}
A_OUTSIDE_READERS = {"coordinator", "viewer", "admin"}


@pytest.fixture
def state(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report_a, report_b = world.report(cycle, world.a), world.report(cycle, world.b)
    entry_a1 = report_a.entries.get(task=world.t1)
    entry_a2 = report_a.entries.get(task=world.t2)
    ev_a1 = evidence_add_file(
        actor=world.reporter_a,
        report=report_a,
        entry=entry_a1,
        upload=SimpleUploadedFile("a1.pdf", samples.pdf()),
    )
    ev_a2 = evidence_add_file(
        actor=world.reporter_a,
        report=report_a,
        entry=entry_a2,
        upload=SimpleUploadedFile("a2.pdf", samples.pdf()),
    )
    report_a = fill(report_a, world.reporter_a)
    report_submit(actor=world.head_a, report=report_a)
    report_a = AgencyReport.objects.get(pk=report_a.pk)
    ev_b = evidence_add_file(
        actor=world.reporter_b,
        report=report_b,
        entry=report_b.entries.first(),
        upload=SimpleUploadedFile("b.pdf", samples.pdf()),
    )
    note_a = Notification.objects.filter(recipient=world.reporter_a).first()
    return {
        "cycle": cycle.pk,
        "a": report_a.pk,
        "b": report_b.pk,
        "a_version": report_a.version,
        "b_version": report_b.version,
        "ev_a1": ev_a1.pk,
        "ev_a2": ev_a2.pk,
        "ev_b": ev_b.pk,
        "note_a": note_a.pk,
        "plan": world.plan.pk,
        "agency_b": world.b.pk,
        "entry_b": report_b.entries.first().pk,
    }


def routes(s: dict) -> list[tuple[str, str, str, dict, dict[str, int]]]:
    """``(url name, method, path, data, expected status per persona)``."""
    a, b, c = s["a"], s["b"], s["cycle"]
    readers_a = by_groups(_200=READERS_OF_A, _404=OUTSIDERS_OF_A)
    only_b = by_groups(_200=OWN_B, _404=EVERYONE - OWN_B)
    edit_a = by_groups(_302=OWN_A, _403=A_OUTSIDE_READERS, _404=OUTSIDERS_OF_A)
    write_a = by_groups(_403=READERS_OF_A, _404=OUTSIDERS_OF_A)
    review_a = by_groups(_302=["coordinator"], _403=OWN_A | {"viewer", "admin"}, _404=OUTSIDERS_OF_A)
    return [
        # pages
        ("reporting:my_reports", "get", "/bao-cao/", {}, expect(200)),
        ("reporting:cycle_list", "get", "/bao-cao/ky/", {}, expect(200)),
        ("reporting:cycle_open", "get", "/bao-cao/ky/mo/", {}, expect(403, coordinator=200)),
        (
            "reporting:cycle_open",
            "post",
            "/bao-cao/ky/mo/",
            {"plan": s["plan"], "year": 2026},
            expect(403, coordinator=302),
        ),
        (
            "reporting:cycles_open_from_regime",
            "get",
            "/bao-cao/ky/mo-theo-che-do/",
            {"plan": s["plan"], "year": 2026},
            expect(403, coordinator=200),
        ),
        (
            "reporting:cycles_open_from_regime",
            "post",
            "/bao-cao/ky/mo-theo-che-do/",
            {"plan": s["plan"], "year": 2026},
            expect(403, coordinator=302),
        ),
        ("reporting:adhoc_create", "get", "/bao-cao/ky/dot-xuat/", {}, expect(403, coordinator=200)),
        (
            "reporting:adhoc_create",
            "post",
            "/bao-cao/ky/dot-xuat/",
            {"plan": s["plan"], "title": "Đột xuất", "due_date": "01/12/2025", "agencies": [s["agency_b"]]},
            expect(403, coordinator=302),
        ),
        ("reporting:cycle_detail", "get", f"/bao-cao/ky/{c}/", {}, expect(200)),
        ("reporting:cycle_edit", "get", f"/bao-cao/ky/{c}/sua/", {}, expect(403, coordinator=200)),
        ("reporting:cycle_close", "post", f"/bao-cao/ky/{c}/dong/", {}, expect(403, coordinator=302)),
        ("reporting:report_detail", "get", f"/bao-cao/{a}/", {}, readers_a),
        ("reporting:report_detail", "get", f"/bao-cao/{b}/", {}, only_b),
        ("reporting:report_history", "get", f"/bao-cao/{a}/lich-su/", {}, readers_a),
        ("reporting:report_history", "get", f"/bao-cao/{b}/lich-su/", {}, only_b),
        ("reporting:report_edit", "get", f"/bao-cao/{a}/sua/", {}, edit_a),
        ("reporting:report_edit", "get", f"/bao-cao/{b}/sua/", {}, only_b),
        (
            "reporting:report_edit",
            "post",
            f"/bao-cao/{b}/sua/",
            {"version": s["b_version"], "proposals": "x"},
            by_groups(_302=OWN_B, _404=EVERYONE - OWN_B),
        ),
        ("reporting:report_signed_upload", "post", f"/bao-cao/{a}/van-ban-ky/", {}, write_a),
        (
            "reporting:report_signed_upload",
            "post",
            f"/bao-cao/{b}/van-ban-ky/",
            {},
            by_groups(_302=OWN_B, _404=EVERYONE - OWN_B),
        ),
        (
            "reporting:report_submit",
            "post",
            f"/bao-cao/{a}/gui/",
            {},
            by_groups(_302=["head_a"], _403={"reporter_a"} | A_OUTSIDE_READERS, _404=OUTSIDERS_OF_A),
        ),
        (
            "reporting:report_submit",
            "post",
            f"/bao-cao/{b}/gui/",
            {},
            by_groups(_302=["head_b"], _403=["reporter_b"], _404=EVERYONE - OWN_B),
        ),
        (
            "reporting:report_autosave",
            "post",
            f"/bao-cao/{b}/tu-dong-luu/",
            {"version": s["b_version"], "proposals": "x"},
            by_groups(401, _200=OWN_B, _404=EVERYONE - OWN_B),
        ),
        (
            "reporting:report_autosave",
            "post",
            f"/bao-cao/{a}/tu-dong-luu/",
            {"version": s["a_version"], "proposals": "x"},
            by_groups(401, _403=READERS_OF_A, _404=OUTSIDERS_OF_A),
        ),
        (
            "reporting:report_hand_over",
            "post",
            f"/bao-cao/{b}/trinh-lanh-dao/",
            {"version": s["b_version"]},
            by_groups(_302=["reporter_b"], _403=["head_b"], _404=EVERYONE - OWN_B),
        ),
        (
            "reporting:report_hand_over",
            "post",
            f"/bao-cao/{a}/trinh-lanh-dao/",
            {"version": s["a_version"]},
            write_a,
        ),
        (
            "reporting:report_hand_back",
            "post",
            f"/bao-cao/{b}/tra-lai-chuyen-vien/",
            {"version": s["b_version"], "comment": "x"},
            by_groups(_302=["head_b"], _403=["reporter_b"], _404=EVERYONE - OWN_B),
        ),
        (
            "reporting:report_hand_back",
            "post",
            f"/bao-cao/{a}/tra-lai-chuyen-vien/",
            {"version": s["a_version"], "comment": "x"},
            by_groups(_302=["head_a"], _403={"reporter_a"} | A_OUTSIDE_READERS, _404=OUTSIDERS_OF_A),
        ),
        (
            "api:report-hand-over",
            "post",
            f"/api/v1/reports/{b}/hand-over/",
            {"version": s["b_version"]},
            {**by_groups(_200=["reporter_b"], _403=["head_b"], _404=EVERYONE - OWN_B), "anonymous": 401},
        ),
        (
            "api:report-hand-back",
            "post",
            f"/api/v1/reports/{b}/hand-back/",
            {"version": s["b_version"], "comment": "x"},
            {**by_groups(_409=["head_b"], _403=["reporter_b"], _404=EVERYONE - OWN_B), "anonymous": 401},
        ),
        (
            "reporting:report_return",
            "get",
            f"/bao-cao/{a}/tra-lai/",
            {},
            by_groups(_200=["coordinator"], _403=OWN_A | {"viewer", "admin"}, _404=OUTSIDERS_OF_A),
        ),
        (
            "reporting:report_return",
            "post",
            f"/bao-cao/{a}/tra-lai/",
            {"version": s["a_version"], "comment": "x"},
            review_a,
        ),
        (
            "reporting:report_return",
            "get",
            f"/bao-cao/{b}/tra-lai/",
            {},
            by_groups(_403=OWN_B, _404=EVERYONE - OWN_B),
        ),
        ("reporting:report_accept", "post", f"/bao-cao/{a}/tiep-nhan/", {}, review_a),
        (
            "reporting:report_accept",
            "post",
            f"/bao-cao/{b}/tiep-nhan/",
            {},
            by_groups(_403=OWN_B, _404=EVERYONE - OWN_B),
        ),
        # A's report is sent: only the plan's coordinator decides on its proposals; B's draft is B's alone
        ("reporting:report_proposals_decide", "post", f"/bao-cao/{a}/kien-nghi/", {}, review_a),
        (
            "reporting:report_proposals_decide",
            "post",
            f"/bao-cao/{b}/kien-nghi/",
            {},
            by_groups(_403=OWN_B, _404=EVERYONE - OWN_B),
        ),
        ("reporting:submission_detail", "get", f"/bao-cao/{a}/lan-gui/1/", {}, readers_a),
        ("reporting:submission_detail", "get", f"/bao-cao/{b}/lan-gui/1/", {}, expect(404)),
        ("reporting:report_xlsx", "get", f"/bao-cao/{a}/excel/", {}, readers_a),
        ("reporting:report_xlsx", "get", f"/bao-cao/{b}/excel/", {}, only_b),
        ("reporting:report_xlsx_upload", "get", f"/bao-cao/{a}/excel/tai-len/", {}, write_a),
        ("reporting:report_xlsx_upload", "get", f"/bao-cao/{b}/excel/tai-len/", {}, only_b),
        ("reporting:evidence_download", "get", f"/bao-cao/minh-chung/{s['ev_a1']}/", {}, readers_a),
        # B leads T2: it sees what its coordinating agency A sent for T2.
        (
            "reporting:evidence_download",
            "get",
            f"/bao-cao/minh-chung/{s['ev_a2']}/",
            {},
            by_groups(_200=READERS_OF_A | OWN_B, _404=["other_coordinator"]),
        ),
        ("reporting:evidence_download", "get", f"/bao-cao/minh-chung/{s['ev_b']}/", {}, only_b),
        ("reporting:evidence_delete", "post", f"/bao-cao/minh-chung/{s['ev_a1']}/xoa/", {}, write_a),
        (
            "reporting:evidence_delete",
            "post",
            f"/bao-cao/minh-chung/{s['ev_b']}/xoa/",
            {},
            by_groups(_302=OWN_B, _404=EVERYONE - OWN_B),
        ),
        ("notifications:list", "get", "/thong-bao/", {}, expect(200)),
        ("notifications:open", "post", f"/thong-bao/{s['note_a']}/", {}, expect(404, reporter_a=302)),
        ("notifications:read_all", "post", "/thong-bao/doc-het/", {}, expect(302)),
        # API (anonymous: DRF answers itself, no redirect: 401 with WWW-Authenticate)
        ("api:api-root", "get", "/api/v1/", {}, expect(200, anonymous=401)),
        (
            "api:token",
            "post",
            "/api/v1/auth/token/",
            {"username": "x", "password": "y"},
            expect(400, anonymous=400),
        ),
        ("api:schema", "get", "/api/v1/openapi.json", {}, expect(200, anonymous=401)),
        ("api:docs", "get", "/api/v1/docs/", {}, expect(200)),
        ("api:plan-list", "get", "/api/v1/plans/", {}, expect(200, anonymous=401)),
        ("api:plan-detail", "get", f"/api/v1/plans/{s['plan']}/", {}, expect(200, anonymous=401)),
        # Every signed-in person may ask; the pairs in the answer are scoped (test_task_timeliness_pages).
        (
            "api:plan-task-timeliness",
            "get",
            f"/api/v1/plans/{s['plan']}/task-timeliness/",
            {},
            expect(200, anonymous=401),
        ),
        (
            "api:plan-task-timeliness",
            "get",
            "/api/v1/plans/99999/task-timeliness/",
            {},
            expect(404, anonymous=401),
        ),
        # Applied amendments of a plan every signed-in person reads (the walk of tests/test_route_access.py too).
        (
            "api:plan-amendments",
            "get",
            f"/api/v1/plans/{s['plan']}/amendments/",
            {},
            expect(200, anonymous=401),
        ),
        ("api:cycle-list", "get", "/api/v1/cycles/", {}, expect(200, anonymous=401)),
        (
            "api:cycle-list",
            "post",
            "/api/v1/cycles/",
            {"plan": s["plan"], "year": 2026},
            expect(403, coordinator=201, anonymous=401),
        ),
        ("api:cycle-detail", "get", f"/api/v1/cycles/{c}/", {}, expect(200, anonymous=401)),
        ("api:cycle-status", "get", f"/api/v1/cycles/{c}/status/", {}, expect(200, anonymous=401)),
        ("api:report-list", "get", "/api/v1/reports/", {}, expect(200, anonymous=401)),
        ("api:report-detail", "get", f"/api/v1/reports/{a}/", {}, {**readers_a, "anonymous": 401}),
        ("api:report-detail", "get", f"/api/v1/reports/{b}/", {}, {**only_b, "anonymous": 401}),
        (
            "api:report-detail",
            "patch",
            f"/api/v1/reports/{b}/",
            {"version": s["b_version"], "proposals": "x"},
            {**by_groups(_200=OWN_B, _404=EVERYONE - OWN_B), "anonymous": 401},
        ),
        (
            "api:report-detail",
            "patch",
            f"/api/v1/reports/{a}/",
            {"version": s["a_version"], "proposals": "x"},
            {**write_a, "anonymous": 401},
        ),
        (
            "api:report-submit",
            "post",
            f"/api/v1/reports/{a}/submit/",
            {},
            {
                **by_groups(_400=["head_a"], _403={"reporter_a"} | A_OUTSIDE_READERS, _404=OUTSIDERS_OF_A),
                "anonymous": 401,
            },
        ),
        (
            "api:report-return",
            "post",
            f"/api/v1/reports/{a}/return/",
            {"version": s["a_version"], "comment": "Bổ sung"},
            {**review_a, "coordinator": 200, "anonymous": 401},
        ),
        (
            "api:report-accept",
            "post",
            f"/api/v1/reports/{a}/accept/",
            {"version": s["a_version"]},
            {**review_a, "coordinator": 200, "anonymous": 401},
        ),
        (
            "api:report-submissions",
            "get",
            f"/api/v1/reports/{a}/submissions/",
            {},
            {**readers_a, "anonymous": 401},
        ),
        ("api:evidence-list", "get", "/api/v1/evidence/", {}, expect(200, anonymous=401)),
        (
            "api:evidence-list",
            "post",
            "/api/v1/evidence/",
            {"report": b, "url": "https://example.vn/x"},
            {**by_groups(_201=OWN_B, _404=EVERYONE - OWN_B), "anonymous": 401},
        ),
        (
            "api:evidence-detail",
            "get",
            f"/api/v1/evidence/{s['ev_a1']}/",
            {},
            {**readers_a, "anonymous": 401},
        ),
        (
            "api:evidence-detail",
            "delete",
            f"/api/v1/evidence/{s['ev_b']}/",
            {},
            {**by_groups(_204=OWN_B, _404=EVERYONE - OWN_B), "anonymous": 401},
        ),
        (
            "api:evidence-download",
            "get",
            f"/api/v1/evidence/{s['ev_a1']}/download/",
            {},
            {**readers_a, "anonymous": 401},
        ),
        (
            "api:evidence-download",
            "get",
            f"/api/v1/evidence/{s['ev_b']}/download/",
            {},
            {**only_b, "anonymous": 401},
        ),
        ("api:indicator-list", "get", "/api/v1/indicators/", {}, expect(200, anonymous=401)),
        ("api:figure-list", "get", "/api/v1/figures/", {}, expect(200, anonymous=401)),
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


# Indicator routes of the shared API router need indicator data this small world does not have; their per-object
# access is walked by plantrack/indicators/tests. Their lists are walked here.
WALKED_ELSEWHERE = {"api:indicator-detail", "api:indicator-series", "api:figure-detail"}


def test_every_route_is_walked(state):
    mine = {n for n in _names(get_resolver()) if n.split(":")[0] in ("reporting", "notifications", "api")}
    walked = {r[0] for r in routes(state)} | WALKED_ELSEWHERE
    assert mine - walked == set(), "routes without an access expectation"


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, world, state, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    failures = []
    for name, method, path, data, expected in routes(state):
        with transaction.atomic():
            kwargs = (
                {"content_type": "application/json"} if path.startswith("/api/") and method != "get" else {}
            )
            if kwargs:
                import json

                data = json.dumps(data)
            response = getattr(client, method)(path, data, **kwargs)
            transaction.set_rollback(True)
        if response.status_code != expected[persona]:
            failures.append(f"{method.upper()} {path} ({name}): {response.status_code} ≠ {expected[persona]}")
        if getattr(response, "file_to_stream", None) is not None:
            # Close the file only: response.close() would send request_finished, whose handler closes the
            # database connection of the test's transaction on PostgreSQL.
            response.file_to_stream.close()
    assert not failures, "\n".join(failures)


def test_token_authentication_uses_the_same_permissions(client, world, state):
    _, token = AuthToken.objects.create(user=world.reporter_b)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get(f"/api/v1/reports/{state['b']}/", **auth).status_code == 200
    assert client.get(f"/api/v1/reports/{state['a']}/", **auth).status_code == 404
    # A wrong token is refused with 401 and the scheme to use.
    refused = client.get("/api/v1/reports/", HTTP_AUTHORIZATION="Token wrong")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"


def test_downloads_are_attachments(client, world, state):
    client.force_login(world.coordinator)
    response = client.get(f"/bao-cao/minh-chung/{state['ev_a1']}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == samples.pdf()
