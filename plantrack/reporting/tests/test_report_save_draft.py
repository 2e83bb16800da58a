import pytest

from plantrack.reporting.models import AgencyReport, ReportState
from plantrack.reporting.services import ReportingError, StaleReportError, report_save_draft

from .conftest import fill


def test_draft_saves_sections_and_entries(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=1,
        sections={"main_results": "Đã tổ chức 5 hội nghị", "proposals": "Bổ sung kinh phí"},
        entries={entry.pk: {"status": "done", "results": "Hoàn thành tuyên truyền", "difficulties": ""}},
    )
    report.refresh_from_db()
    entry.refresh_from_db()
    assert (report.main_results, report.proposals, report.version) == (
        "Đã tổ chức 5 hội nghị",
        "Bổ sung kinh phí",
        2,
    )
    assert (entry.status, entry.results) == ("done", "Hoàn thành tuyên truyền")
    assert report.last_saved_by == world.reporter_a and report.last_saved_at is not None


def test_stale_form_is_refused_and_nothing_is_lost(world, cycle):
    """Two clerks open the form at version 1; the second save is refused, the first one's text survives."""
    report = world.report(cycle, world.a)
    first = AgencyReport.objects.get(pk=report.pk)
    second = AgencyReport.objects.get(pk=report.pk)
    report_save_draft(
        actor=world.reporter_a, report=first, version=1, sections={"main_results": "Bản của chị An"}
    )
    with pytest.raises(StaleReportError) as err:
        report_save_draft(
            actor=world.head_a, report=second, version=1, sections={"main_results": "Bản của anh Bình"}
        )
    assert "vừa được" in str(err.value) and "lưu lúc" in str(err.value)
    assert err.value.current.version == 2
    report.refresh_from_db()
    assert report.main_results == "Bản của chị An"
    assert report.version == 2


def test_stale_refusal_leaves_entries_untouched(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    report_save_draft(
        actor=world.reporter_a, report=report, version=1, entries={entry.pk: {"results": "Kết quả thật"}}
    )
    with pytest.raises(StaleReportError):
        report_save_draft(
            actor=world.head_a, report=report, version=1, entries={entry.pk: {"results": "Ghi đè"}}
        )
    entry.refresh_from_db()
    assert entry.results == "Kết quả thật"


def test_entry_of_another_report_is_refused(world, cycle):
    report_a, report_b = world.report(cycle, world.a), world.report(cycle, world.b)
    foreign = report_b.entries.first()
    with pytest.raises(ReportingError, match="không thuộc"):
        report_save_draft(
            actor=world.reporter_a, report=report_a, version=1, entries={foreign.pk: {"results": "x"}}
        )


@pytest.mark.parametrize("persona", ["reporter_b", "coordinator", "viewer", "admin"])
def test_only_the_agency_edits_its_report(world, cycle, persona):
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError):
        report_save_draft(
            actor=getattr(world, persona), report=report, version=1, sections={"proposals": "x"}
        )


def test_invalid_status_is_refused(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.first()
    with pytest.raises(ReportingError, match="không hợp lệ"):
        report_save_draft(
            actor=world.reporter_a, report=report, version=1, entries={entry.pk: {"status": "xong"}}
        )


def test_submitted_report_cannot_be_saved(world, cycle):
    from plantrack.reporting.services import report_submit

    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    with pytest.raises(ReportingError, match="đã gửi"):
        report_save_draft(
            actor=world.reporter_a, report=report, version=report.version, sections={"proposals": "x"}
        )
    assert AgencyReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_every_save_is_in_the_history_with_who_and_why(world, cycle):
    report = world.report(cycle, world.a)
    report_save_draft(actor=world.reporter_a, report=report, version=1, sections={"main_results": "A"})
    last = report.history.latest()
    assert last.history_user == world.reporter_a
    assert last.history_change_reason == "Lưu bản nháp"
    assert last.main_results == "A"


def test_the_conditional_update_refuses_a_race_the_precheck_missed(world, cycle):
    """Two saves read version 1 before either wrote: the second one's UPDATE … WHERE version = 1 matches nothing."""
    from plantrack.reporting import services

    report = world.report(cycle, world.a)
    report_save_draft(actor=world.reporter_a, report=report, version=1, sections={"main_results": "Thắng"})
    loser = AgencyReport.objects.get(pk=report.pk)
    with pytest.raises(StaleReportError):
        services._save_draft(
            actor=world.head_a,
            report=loser,
            version=1,
            sections={"main_results": "Thua"},
            entries=None,
            data_as_of=None,
            now=None,
            reason=None,
        )
    report.refresh_from_db()
    assert (report.main_results, report.version) == ("Thắng", 2)
