"""Pages of inspection: who sees what, forms in dd/mm/yyyy, the agency's response with evidence."""

import datetime

from django.urls import reverse

from plantrack.inspection import services
from plantrack.inspection.models import InspectionPlan, RecommendationState

from .conftest import pdf


def test_coordinator_creates_an_inspection_plan(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("inspection:create"),
        {
            "plan": world.plan.pk,
            "year": 2025,
            "title": "Kiểm tra năm 2025",
            "number": "1/KH-SKHCN",
            "document_date": "01/03/2025",
            "agencies": [world.a.pk, world.b.pk],
            "team_lead": "Trưởng đoàn",
        },
    )
    assert response.status_code == 302
    inspection = InspectionPlan.objects.get()
    assert inspection.document_date == datetime.date(2025, 3, 1)
    assert set(inspection.agencies.values_list("pk", flat=True)) == {world.a.pk, world.b.pk}


def test_agency_sees_only_its_own_visits(client, world, inspection, visit):
    other = services.visit_create(
        actor=world.coordinator,
        inspection=inspection,
        agency=world.b,
        start_date=datetime.date(2025, 10, 5),
        end_date=datetime.date(2025, 10, 5),
        findings="Nhận xét riêng của Sở Nội vụ",
    )
    client.force_login(world.reporter_a)
    page = client.get(reverse("inspection:detail", args=[inspection.pk])).content.decode()
    assert reverse("inspection:visit_detail", args=[visit.pk]) in page
    assert reverse("inspection:visit_detail", args=[other.pk]) not in page
    assert client.get(reverse("inspection:visit_detail", args=[other.pk])).status_code == 404


def test_other_agency_gets_404(client, world, recommendation):
    client.force_login(world.reporter_b)
    assert (
        client.get(reverse("inspection:recommendation_detail", args=[recommendation.pk])).status_code == 404
    )
    response = client.post(
        reverse("inspection:recommendation_respond", args=[recommendation.pk]), {"text": "x"}
    )
    assert response.status_code == 404


def test_agency_responds_with_evidence_then_coordinator_closes(client, world, recommendation):
    client.force_login(world.reporter_a)
    page = client.get(reverse("inspection:recommendation_detail", args=[recommendation.pk])).content.decode()
    assert "15/11/2025" in page and "Gửi báo cáo khắc phục" in page
    response = client.post(
        reverse("inspection:recommendation_respond", args=[recommendation.pk]),
        {"text": "Đã ban hành kế hoạch", "files": [pdf("ke-hoach.pdf")]},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.RESPONDED
    evidence = recommendation.evidence.get()
    download = client.get(reverse("inspection:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # The agency may not close its own recommendation.
    assert (
        client.post(reverse("inspection:recommendation_close", args=[recommendation.pk])).status_code == 403
    )
    client.force_login(world.coordinator)
    response = client.post(
        reverse("inspection:recommendation_close", args=[recommendation.pk]), {"comment": "Đạt"}
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.CLOSED


def test_reopen_without_comment_keeps_the_page(client, world, recommendation):
    services.recommendation_close(actor=world.coordinator, recommendation=recommendation)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("inspection:recommendation_reopen", args=[recommendation.pk]), {"comment": ""}
    )
    assert response.status_code == 400
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.CLOSED


def test_visit_minutes_download_for_the_agency(client, world, visit):
    client.force_login(world.head_a)
    response = client.get(reverse("inspection:visit_minutes", args=[visit.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_index_query_count(client, world, inspection, visit, recommendation, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("inspection:index"))
    assert inspection.title in response.content.decode()


def test_coordinator_edits_the_inspection_plan(client, world, inspection):
    client.force_login(world.coordinator)
    assert client.get(reverse("inspection:edit", args=[inspection.pk])).status_code == 200
    response = client.post(
        reverse("inspection:edit", args=[inspection.pk]),
        {
            "year": 2025,
            "title": "Kiểm tra năm 2025 (sửa)",
            "agencies": [world.a.pk, world.b.pk, world.c.pk],
            "document_date": "05/03/2025",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "Kiểm tra năm 2025 (sửa)" and inspection.agencies.count() == 3
    assert inspection.history.count() == 2
