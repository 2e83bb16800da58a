"""API: the same rules as the pages — drafts with versions (409 when stale), transitions, schema."""

import json
from decimal import Decimal

from django.utils import timezone

from plantrack.reporting.models import AgencyReport, ReportState

from .conftest import fill


def _patch(client, pk, payload):
    return client.patch(f"/api/v1/reports/{pk}/", json.dumps(payload), content_type="application/json")


def _v(report) -> dict:
    """The version the client last read: transitions require it (optimistic lock)."""
    return {"version": AgencyReport.objects.get(pk=report.pk).version}


def test_edit_draft_with_version_and_stale_refusal(client, world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.reporter_a)
    response = _patch(
        client,
        report.pk,
        {
            "version": 1,
            "main_results": "Qua API",
            "entries": [{"id": entry.pk, "status": "done", "results": "Xong"}],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["main_results"] == "Qua API"
    assert next(e for e in body["entries"] if e["id"] == entry.pk)["status"] == "done"
    stale = _patch(client, report.pk, {"version": 1, "main_results": "Ghi đè"})
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert AgencyReport.objects.get(pk=report.pk).main_results == "Qua API"


def test_workflow_through_the_api(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.reporter_a)
    assert client.post(f"/api/v1/reports/{report.pk}/submit/", _v(report)).status_code == 403
    client.force_login(world.head_a)
    response = client.post(f"/api/v1/reports/{report.pk}/submit/", _v(report))
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    client.force_login(world.coordinator)
    entry = report.entries.first()
    response = client.post(
        f"/api/v1/reports/{report.pk}/return/",
        json.dumps({"comment": "Bổ sung", "entry_comments": {str(entry.pk): "Thiếu"}, **_v(report)}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "returned"
    client.force_login(world.head_a)
    assert client.post(f"/api/v1/reports/{report.pk}/submit/", _v(report)).json()["state"] == "submitted"
    client.force_login(world.coordinator)
    assert client.post(f"/api/v1/reports/{report.pk}/accept/", _v(report)).json()["state"] == "accepted"
    subs = client.get(f"/api/v1/reports/{report.pk}/submissions/").json()
    assert [(s["number"], s["accepted"]) for s in subs] == [(1, False), (2, True)]
    client.force_login(world.reporter_a)
    assert _patch(client, report.pk, {"version": 99, "proposals": "x"}).status_code == 403
    assert AgencyReport.objects.get(pk=report.pk).state == ReportState.ACCEPTED


def test_refused_move_answers_400_with_the_reason(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.head_a)
    response = client.post(f"/api/v1/reports/{report.pk}/submit/", _v(report))
    assert response.status_code == 400
    assert "Chưa chọn tình trạng" in response.json()["detail"]


def test_lists_are_scoped(client, world, cycle):
    client.force_login(world.reporter_a)
    ids = {r["agency"] for r in client.get("/api/v1/reports/").json()["results"]}
    assert ids == {world.a.pk}
    client.force_login(world.coordinator)
    assert client.get("/api/v1/reports/").json()["results"] == []  # only drafts so far


def test_open_cycle_through_the_api(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        "/api/v1/cycles/", json.dumps({"plan": world.plan.pk, "year": 2026}), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["due_date"] == "2026-12-05"
    again = client.post(
        "/api/v1/cycles/", json.dumps({"plan": world.plan.pk, "year": 2026}), content_type="application/json"
    )
    assert again.status_code == 409 and "đã được mở" in again.json()["detail"]


def test_openapi_schema_lists_the_routes(client, world):
    client.force_login(world.viewer)
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    paths = schema["paths"]
    for path in (
        "/api/v1/plans/",
        "/api/v1/cycles/",
        "/api/v1/reports/{id}/",
        "/api/v1/reports/{id}/submit/",
        "/api/v1/reports/{id}/return/",
        "/api/v1/reports/{id}/accept/",
        "/api/v1/evidence/",
    ):
        assert path in paths, path
    assert "knoxApiToken" in schema["components"]["securitySchemes"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_api_writes_and_reads_entry_facts_and_proposals(client, world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.reporter_a)
    payload = {
        "version": report.version,
        "entries": [
            {
                "id": entry.pk,
                "documents": [
                    {"number_symbol": "12/KH-STC", "issued_on": "2025-03-04", "subject": "triển khai"}
                ],
                "events": [{"kind": "conference", "count": 2, "participants": 180}],
                "funding": [{"year": 2025, "provincial": "250.5", "spent": "100"}],
            }
        ],
        "proposal_items": [
            {
                "addressee": "ministry",
                "addressee_name": "Bộ Khoa học và Công nghệ",
                "text": "Ban hành hướng dẫn",
            }
        ],
    }
    response = _patch(client, report.pk, payload)
    assert response.status_code == 200, response.content
    data = response.json()
    got = next(e for e in data["entries"] if e["id"] == entry.pk)
    assert got["documents"] == [
        {"number_symbol": "12/KH-STC", "issued_on": "2025-03-04", "subject": "triển khai"}
    ]
    assert got["events"][0]["participants"] == 180 and got["funding"][0]["provincial"] == "250.500"
    assert data["proposal_items"][0]["addressee_label"] == "Bộ Khoa học và Công nghệ"
    # a negative amount is refused by the serializer, nothing changes
    payload["version"] = data["version"]
    payload["entries"][0]["funding"] = [{"year": 2025, "provincial": "-1"}]
    assert _patch(client, report.pk, payload).status_code == 400
    assert entry.funding.get().provincial == Decimal("250.5")
    # the other agency cannot read them
    client.force_login(world.reporter_b)
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_report_list_rows_are_drf_s_own_representation(client, world, cycle, django_assert_max_num_queries):
    """The list writes its rows itself (ReportListSerializer.to_representation): the same JSON as DRF's walk over
    the declared fields, for reports in several states (sent late, returned, accepted, draft), in a few queries."""
    from rest_framework import serializers

    from plantrack.reporting.api import ReportListSerializer

    a, b, c = (world.report(cycle, ag) for ag in (world.a, world.b, world.c))
    AgencyReport.objects.filter(pk=a.pk).update(
        state=ReportState.SUBMITTED, is_late=True, submitted_at=cycle.deadline
    )
    AgencyReport.objects.filter(pk=b.pk).update(state=ReportState.RETURNED, returned_at=cycle.deadline)
    client.force_login(world.reporter_a)
    with django_assert_max_num_queries(8):
        rows = client.get("/api/v1/reports/").json()["results"]
    assert [r["id"] for r in rows] == [a.pk]
    assert (
        rows[0]["state"] == "submitted" and rows[0]["display_state"] == "late" and rows[0]["is_late"] is True
    )
    reports = AgencyReport.objects.select_related("cycle__plan", "agency").filter(pk__in=[a.pk, b.pk, c.pk])
    serializer = ReportListSerializer(context={"now": cycle.deadline})
    for report in reports:
        fast = serializer.to_representation(report)
        assert fast == serializers.ModelSerializer.to_representation(serializer, report)
        assert list(fast) == ReportListSerializer.Meta.fields
    # The list itself reads tuples (ReportViewSet.list): its rows are the models' representation too.
    assert rows[0] == serializers.ModelSerializer.to_representation(
        ReportListSerializer(context={"now": timezone.now()}), reports.get(pk=a.pk)
    )
    client.force_login(world.coordinator)  # sees the sent and the returned report, never the draft
    listed = client.get("/api/v1/reports/", {"cycle": cycle.pk}).json()["results"]
    assert {r["id"] for r in listed} == {a.pk, b.pk}
    assert next(r for r in listed if r["id"] == b.pk)["display_state"] == "returned"
