"""The review page and publishing judge a draft by the same rulebook: a plan already in the system is flagged in
review, and the review form reaches the service as cleaned values, never as the raw request."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plantrack.plans.models import Plan, PlanImportDraft

from .conftest import sample_bytes

SEED = "plan_386_KH-UBND.txt"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def draft_of_386(client, default_data, personas) -> PlanImportDraft:
    client.force_login(personas["coordinator"])
    client.post(reverse("plan_import:import_upload"), {"file": SimpleUploadedFile(SEED, sample_bytes(SEED))})
    return PlanImportDraft.objects.get()


def test_reimporting_an_existing_plan_is_flagged_in_review_and_refused_at_publish(client, draft_of_386):
    url = reverse("plan_import:import_review", args=[draft_of_386.pk])
    assert "Kế hoạch 386/KH-UBND của Ủy ban nhân dân tỉnh Đồng Nai đã có trong hệ thống." in _text(
        client.get(url)
    )
    plans = Plan.objects.count()
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "đã có trong hệ thống" in _text(response)
    assert Plan.objects.count() == plans
    draft_of_386.refresh_from_db()
    assert draft_of_386.is_draft


def test_review_form_with_a_foreign_field_changes_nothing(client, draft_of_386):
    url = reverse("plan_import:import_review", args=[draft_of_386.pk])
    before = draft_of_386.data
    response = client.post(url, {"action": "save", "title": "Đổi tên", "<script>": "x"}, follow=True)
    assert "Biểu mẫu có trường lạ" in _text(response)
    draft_of_386.refresh_from_db()
    assert draft_of_386.data == before


def test_review_form_values_are_applied(client, draft_of_386):
    url = reverse("plan_import:import_review", args=[draft_of_386.pk])
    client.post(url, {"action": "save", "number": "387/KH-UBND"})
    draft_of_386.refresh_from_db()
    assert draft_of_386.data["number"] == "387/KH-UBND"
    # Another number: the plan no longer exists, and the review shows no such error.
    assert "đã có trong hệ thống" not in _text(client.get(url))
