"""The recommendation workflow: open → responded → closed, reopening, history, notifications, refusals."""

import datetime

import pytest

from plantrack.inspection import services
from plantrack.inspection.models import RecommendationAction, RecommendationState
from plantrack.inspection.services import InspectionError
from plantrack.notifications.models import Notification

from .conftest import pdf


def test_issue_notifies_the_agency_only(world, recommendation):
    assert recommendation.state == RecommendationState.OPEN
    assert Notification.objects.filter(
        recipient=world.reporter_a, url__contains=f"/{recommendation.pk}/"
    ).exists()
    assert Notification.objects.filter(recipient=world.head_a).exists()
    assert not Notification.objects.filter(recipient=world.reporter_b).exists()


def test_full_cycle_records_history(world, recommendation):
    services.recommendation_respond(
        actor=world.reporter_a, recommendation=recommendation, text="Đã ban hành", files=[pdf("kh.pdf")]
    )
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.RESPONDED
    assert recommendation.evidence.get().content_type == "application/pdf"
    services.recommendation_reopen(
        actor=world.coordinator,
        recommendation=recommendation,
        comment="Thiếu phụ lục",
        deadline=datetime.date(2025, 12, 1),
    )
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.deadline) == (
        RecommendationState.OPEN,
        datetime.date(2025, 12, 1),
    )
    services.recommendation_respond(
        actor=world.head_a, recommendation=recommendation, text="Đã bổ sung phụ lục"
    )
    services.recommendation_close(actor=world.coordinator, recommendation=recommendation, comment="Đạt")
    recommendation.refresh_from_db()
    assert (
        recommendation.state == RecommendationState.CLOSED and recommendation.closed_by == world.coordinator
    )
    history = [(e.action, e.actor) for e in recommendation.events.all()]
    assert history == [
        (RecommendationAction.ISSUED, world.coordinator),
        (RecommendationAction.RESPONDED, world.reporter_a),
        (RecommendationAction.REOPENED, world.coordinator),
        (RecommendationAction.RESPONDED, world.head_a),
        (RecommendationAction.CLOSED, world.coordinator),
    ]


@pytest.mark.parametrize("who", ["reporter_b", "coordinator", "viewer", "other_coordinator"])
def test_only_the_agency_responds(world, recommendation, who):
    with pytest.raises(InspectionError):
        services.recommendation_respond(actor=getattr(world, who), recommendation=recommendation, text="x")


@pytest.mark.parametrize("who", ["reporter_a", "head_a", "viewer", "other_coordinator"])
def test_only_the_coordinator_closes(world, recommendation, who):
    with pytest.raises(InspectionError):
        services.recommendation_close(actor=getattr(world, who), recommendation=recommendation)


def test_reopen_needs_a_comment_and_a_settled_state(world, recommendation):
    with pytest.raises(InspectionError):
        services.recommendation_reopen(actor=world.coordinator, recommendation=recommendation, comment="x")
    services.recommendation_close(actor=world.coordinator, recommendation=recommendation)
    with pytest.raises(InspectionError):
        services.recommendation_reopen(actor=world.coordinator, recommendation=recommendation, comment="  ")


def test_response_refuses_a_disguised_file_and_stores_nothing(world, recommendation, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(InspectionError):
        services.recommendation_respond(
            actor=world.reporter_a,
            recommendation=recommendation,
            text="Đã làm",
            files=[SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")],
        )
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.OPEN
    assert not recommendation.evidence.exists()


def test_visit_only_to_an_agency_of_the_inspection(world, inspection):
    with pytest.raises(InspectionError):
        services.visit_create(
            actor=world.coordinator,
            inspection=inspection,
            agency=world.c,
            start_date=datetime.date(2025, 10, 1),
            end_date=datetime.date(2025, 10, 1),
        )


def test_visit_dates_ordered(world, inspection):
    with pytest.raises(InspectionError):
        services.visit_create(
            actor=world.coordinator,
            inspection=inspection,
            agency=world.a,
            start_date=datetime.date(2025, 10, 2),
            end_date=datetime.date(2025, 10, 1),
        )


def test_inspection_plan_only_by_the_plan_coordinator(world):
    with pytest.raises(InspectionError):
        services.inspection_plan_create(
            actor=world.other_coordinator, plan=world.plan, agencies=[world.a], year=2025, title="X"
        )


def test_cannot_drop_a_visited_agency(world, inspection, visit):
    with pytest.raises(InspectionError):
        services.inspection_plan_update(actor=world.coordinator, inspection=inspection, agencies=[world.b])
