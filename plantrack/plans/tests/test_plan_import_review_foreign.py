"""Review of a plan of another province (issue 13, point 3): the reporting regimes read are shown and edited, each
proposed agency is accepted, mapped to an agency of the registry, or dropped, and every warning links to its line."""

import pytest
from django.urls import reverse

from plantrack.plans.importing import import_document
from plantrack.plans.importing.review import apply_form, for_publish

from .foreign_documents import lao_cai_docx
from .test_plan_import_views import _upload, people  # noqa: F401 - the fixture


@pytest.fixture
def lao_cai(registry_2024):
    return import_document(lao_cai_docx(), "lao_cai.docx", registry=registry_2024)


def _proposal_index(plan, name):
    return next(i for i, r in enumerate(plan["proposed_agencies"]) if r["name"] == name)


def test_regimes_are_edited_removed_and_added(lao_cai, registry_2024):
    plan = lao_cai.plan
    plan["reporting_regimes"] = [
        {"period": "half_yearly", "due_day": 15, "due_month": 6},
        {"period": "yearly", "due_day": 15, "due_month": 12},
    ]
    edited = apply_form(
        plan,
        {"reg-0-due": "20/6", "reg-1-delete": "on", "reg-new-period": "quarterly", "reg-new-due": "10/3"},
        registry_2024,
    )
    assert [(r["period"], r["due_day"], r["due_month"]) for r in edited["reporting_regimes"]] == [
        ("half_yearly", 20, 6),
        ("quarterly", 10, 3),
    ]
    # A due date that is not a day/month keeps the one read; a second regime of the same period is not added.
    again = apply_form(
        edited, {"reg-0-due": "mười lăm", "reg-new-period": "quarterly", "reg-new-due": "01/4"}, registry_2024
    )
    assert [(r["period"], r["due_day"], r["due_month"]) for r in again["reporting_regimes"]] == [
        ("half_yearly", 20, 6),
        ("quarterly", 10, 3),
    ]
    # A form of another section leaves them alone.
    assert (
        apply_form(again, {"number": "125/KH-UBND"}, registry_2024)["reporting_regimes"]
        == again["reporting_regimes"]
    )


def test_a_refused_agency_is_mapped_everywhere_the_plan_names_it(lao_cai, registry_2024):
    plan = lao_cai.plan
    names = [r["name"] for r in plan["proposed_agencies"]]
    assert "Sở Công Thương tỉnh Lào Cai" in names
    i = _proposal_index(plan, "Sở Công Thương tỉnh Lào Cai")
    j = _proposal_index(plan, "Công an tỉnh Lào Cai")
    edited = apply_form(
        plan,
        {f"prop-{i}-decision": "map", f"prop-{i}-map": "Sở Công Thương", f"prop-{j}-decision": "drop"},
        registry_2024,
    )
    kept = [r["name"] for r in edited["proposed_agencies"]]
    assert "Sở Công Thương tỉnh Lào Cai" not in kept and "Công an tỉnh Lào Cai" not in kept
    assert "Sở Tài chính tỉnh Lào Cai" in kept  # not decided: accepted
    named = [a["agency"] for t in edited["tasks"] for a in t["assignments"]]
    assert "Sở Công Thương" in named
    assert "Sở Công Thương tỉnh Lào Cai" not in named and "Công an tỉnh Lào Cai" not in named
    assert edited["tasks"][0]["lead"] == ["Sở Công Thương"]


def test_a_refusal_without_an_agency_to_map_to_is_kept_and_flagged(lao_cai, registry_2024):
    plan = lao_cai.plan
    i = _proposal_index(plan, "Sở Tài chính tỉnh Lào Cai")
    edited = apply_form(plan, {f"prop-{i}-decision": "map", f"prop-{i}-map": "Sở Không Có"}, registry_2024)
    row = edited["proposed_agencies"][i]
    assert row["name"] == "Sở Tài chính tỉnh Lào Cai" and row["_refusal"] == "Sở Không Có"
    assert "_refusal" not in for_publish(edited)["proposed_agencies"][i]
    # Accepting it afterwards clears the flag.
    assert (
        "_refusal"
        not in apply_form(edited, {f"prop-{i}-decision": "accept"}, registry_2024)["proposed_agencies"][i]
    )


@pytest.mark.django_db
def test_review_page_shows_regimes_proposals_and_source_lines(client, people):  # noqa: F811
    client.force_login(people["coordinator_agency"])
    _upload(client, "lao_cai.docx", lao_cai_docx())
    from plantrack.plans.models import PlanImportDraft

    draft = PlanImportDraft.objects.get()
    url = reverse("plan_import:import_review", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Cơ quan đề xuất thêm mới" in page and 'name="prop-0-decision"' in page
    assert "Sở Công Thương tỉnh Lào Cai" in page
    assert 'class="imp-src-link"' in page  # warnings and notes link to their source line
    page = client.get(f"{url}?phan=to-chuc").content.decode()
    assert 'name="reg-0-period"' in page and 'value="15/06"' in page


def test_measurement_is_set_in_review(lao_cai, registry_2024):
    plan = lao_cai.plan
    edited = apply_form(
        plan,
        {
            "tgt-0-measure_unit": "%",
            "tgt-0-provider": "Sở Khoa học và Công nghệ",
            "tgt-0-method": "Số văn bản ký số / tổng số văn bản",
            "tgt-1-provider": "Sở Không Có",
        },
        registry_2024,
    )
    code0, code1 = plan["targets"][0]["code"], plan["targets"][1]["code"]
    assert edited["measurement"][code0] == {
        "unit": "%",
        "provider": "Sở Khoa học và Công nghệ",
        "provider_unresolved": "",
        "method_note": "Số văn bản ký số / tổng số văn bản",
    }
    assert edited["measurement"][code1]["provider_unresolved"] == "Sở Không Có"
    assert "measurement" not in for_publish(edited)


@pytest.mark.django_db
def test_publishing_creates_the_indicator_definitions(client, people):  # noqa: F811
    from plantrack.indicators.models import IndicatorDefinition
    from plantrack.plans.models import Plan, PlanImportDraft

    client.force_login(people["coordinator_agency"])
    _upload(client, "lao_cai.docx", lao_cai_docx())
    draft = PlanImportDraft.objects.get()
    url = reverse("plan_import:import_review", args=[draft.pk])
    code0 = draft.data["targets"][0]["code"]
    assert 'name="tgt-0-provider"' in client.get(f"{url}?phan=chi-tieu").content.decode()
    client.post(
        f"{url}?phan=chi-tieu",
        {"action": "save", "tgt-0-measure_unit": "%", "tgt-0-provider": "Sở Khoa học và Công nghệ"},
    )
    response = client.post(url, {"action": "publish"})
    plan = Plan.objects.by_code("125/KH-UBND").get()
    assert response.status_code == 302
    definitions = {d.target.code: d for d in IndicatorDefinition.objects.filter(target__plan=plan)}
    assert set(definitions) == set(plan.targets.values_list("code", flat=True))
    assert definitions[code0].provider.name == "Sở Khoa học và Công nghệ" and definitions[code0].unit == "%"
