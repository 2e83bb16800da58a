"""The history tab: the agency sees every draft save; anyone else sees only the versions the agency sent."""

import pytest

from plantrack.reporting.models import AgencyReport
from plantrack.reporting.selectors import report_history
from plantrack.reporting.services import report_return, report_save_draft, report_send

from .conftest import fill

OVERWRITTEN = "Văn bản nháp bị ghi đè trước khi gửi"
SENT = "Kết quả đã gửi"
CORRECTED_DRAFT = "Sửa dở sau khi bị trả lại"
RESENT = "Kết quả gửi lại"


def _save(report, actor, text):
    report = AgencyReport.objects.get(pk=report.pk)
    entry = report.entries.get(task__code="III.1.a")
    return report_save_draft(
        actor=actor,
        report=report,
        version=report.version,
        sections={"main_results": text},
        entries={entry.pk: {"status": "in_progress", "results": text, "difficulties": ""}},
    )


@pytest.fixture
def report(world, cycle):
    """Draft saved twice, sent; returned; corrected twice, sent again."""
    report = fill(world.report(cycle, world.a), world.reporter_a)
    _save(report, world.reporter_a, OVERWRITTEN)
    report = _save(report, world.reporter_a, SENT)
    report = report_send(actor=world.head_a, report=report, version=report.version)
    report = report_return(actor=world.coordinator, report=report, comment="Bổ sung", version=report.version)
    _save(report, world.reporter_a, CORRECTED_DRAFT)
    report = _save(report, world.reporter_a, RESENT)
    return report_send(actor=world.head_a, report=report, version=report.version)


def _texts(items) -> str:
    return " ".join(f"{c['old']} {c['new']}" for item in items for c in item["changes"])


@pytest.mark.parametrize("persona", ["coordinator", "viewer", "admin"])
def test_others_see_only_sent_versions(client, world, report, persona):
    user = getattr(world, persona)
    items = report_history(report=AgencyReport.objects.get(pk=report.pk), user=user)
    texts = _texts(items)

    assert SENT in texts and RESENT in texts
    assert OVERWRITTEN not in texts and CORRECTED_DRAFT not in texts
    assert "Lưu bản nháp" not in {i["why"] for i in items}
    client.force_login(user)
    html = client.get(f"/bao-cao/{report.pk}/lich-su/").content.decode()
    assert SENT in html and RESENT in html
    assert OVERWRITTEN not in html and CORRECTED_DRAFT not in html


def test_the_agency_sees_its_own_draft_saves(client, world, report):
    items = report_history(report=AgencyReport.objects.get(pk=report.pk), user=world.reporter_a)
    texts = _texts(items)

    assert all(text in texts for text in (OVERWRITTEN, SENT, CORRECTED_DRAFT, RESENT))
    client.force_login(world.head_a)
    assert OVERWRITTEN in client.get(f"/bao-cao/{report.pk}/lich-su/").content.decode()
