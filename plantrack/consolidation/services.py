"""Writes of the consolidated report: saving the narrative, starting a build, running it.

A build is started by :func:`build_start` (atomic: one active build per report, enforced by a unique constraint)
and queued in the same transaction by ``runner.py``; the worker runs it through :func:`build_execute`, which claims
the run with a conditional UPDATE so it never runs twice at once, and writes its outcome only while its claim holds.
"""

import logging
from collections.abc import Mapping

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from plantrack.core.i18n import in_office_language
from plantrack.reporting.models import ReportingCycle
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from . import runner
from .models import BuildRun, BuildState, ConsolidatedReport
from .permissions import can_manage
from .report.build import build_consolidated
from .report.compile import consolidated_compile
from .report.narrative import default_narrative

log = logging.getLogger(__name__)


class ConsolidationError(Exception):
    """A refused action; ``str(error)`` is the Vietnamese message shown to the user."""


class BuildFileMissing(ConsolidationError):
    """The run has no such file: an unknown kind, a build not finished, or no file stored."""


class StaleNarrativeError(ConsolidationError):
    def __init__(self, message: str, *, current: ConsolidatedReport):
        super().__init__(message)
        self.current = current


@in_office_language
def consolidated_report_suggested(*, cycle: ReportingCycle) -> ConsolidatedReport:
    """An unsaved report with the suggested first draft (``version`` 0)."""
    compilation = consolidated_compile(cycle=cycle)
    narrative = default_narrative(compilation, coordinator_agency=cycle.plan.coordinator_agency)
    return ConsolidatedReport.from_narrative(narrative, cycle=cycle)


def _guard(actor, cycle: ReportingCycle) -> None:
    if not can_manage(actor, cycle.plan):
        raise ConsolidationError(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được soạn và tạo báo cáo tổng hợp.")
        )


def _clean(values: Mapping[str, object]) -> dict:
    unknown = set(values) - set(ConsolidatedReport.NARRATIVE_FIELDS)
    if unknown:
        raise ConsolidationError(_("Nội dung không hợp lệ: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    cleaned = dict(values)
    if "recipients" in cleaned:
        lines = [line.strip() for line in str(cleaned["recipients"]).splitlines() if line.strip()]
        if not lines or not lines[-1].lstrip("- ").lower().startswith("lưu"):
            # Decree 30: the list of recipients always ends with the archive line.
            lines.append("Lưu: VT")
        cleaned["recipients"] = "\n".join(lines)
    if not str(cleaned.get("symbol", "x")).strip():
        raise ConsolidationError(_("Cần nhập ký hiệu văn bản, ví dụ BC-SKHCN."))
    return cleaned


@transaction.atomic
def consolidated_report_save(
    *, actor, cycle: ReportingCycle, version: int, values: Mapping[str, object]
) -> ConsolidatedReport:
    """Create (``version`` 0) or update the narrative of ``cycle``'s consolidated report.

    ``version`` is the one the form was built on; if a colleague saved since, :class:`StaleNarrativeError` is
    raised, nothing is written, and the caller shows the current text beside what the user typed.
    """
    _guard(actor, cycle)
    cleaned = _clean(values)
    existing = ConsolidatedReport.objects.filter(cycle=cycle).first()
    if existing is None:
        if version != 0:
            raise ConsolidationError(_("Báo cáo tổng hợp không còn tồn tại; hãy tải lại trang."))
        report = consolidated_report_suggested(cycle=cycle)
        for field, value in cleaned.items():
            setattr(report, field, value)
        report.version = 1
        report.updated_by = actor
        report._history_user = actor
        report._change_reason = _("Soạn báo cáo tổng hợp")
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:  # a colleague created it at the same moment
            current = ConsolidatedReport.objects.get(cycle=cycle)
            raise StaleNarrativeError(_stale_message(current), current=current) from None
        return report

    claimed = ConsolidatedReport.objects.filter(pk=existing.pk, version=version).update(
        version=F("version") + 1
    )
    if not claimed:
        current = ConsolidatedReport.objects.select_related("updated_by").get(pk=existing.pk)
        raise StaleNarrativeError(_stale_message(current), current=current)
    existing.refresh_from_db(fields=["version"])
    for field, value in cleaned.items():
        setattr(existing, field, value)
    existing.updated_by = actor
    existing._history_user = actor
    existing._change_reason = _("Sửa báo cáo tổng hợp")
    existing.save()
    return existing


def _stale_message(current: ConsolidatedReport) -> str:
    who = current.updated_by.display_name if current.updated_by_id else _("một người khác")
    when = timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")
    return _(
        "Báo cáo tổng hợp vừa được %(who)s lưu lúc %(when)s, sau khi bạn mở trang. Nội dung bạn nhập vẫn còn bên "
        "dưới; hãy xem lại bản mới rồi lưu lại."
    ) % {"who": who, "when": when}


# --- builds ---------------------------------------------------------------------------------------------------


def _fail_stale_runs(report: ConsolidatedReport) -> None:
    now = timezone.now()
    for run in report.runs.active():
        if run.is_stale(now):
            BuildRun.objects.filter(pk=run.pk).update(
                state=BuildState.FAILED, finished_at=now, error=_("Bị gián đoạn (máy chủ khởi động lại?).")
            )


@transaction.atomic
def build_start(*, actor, cycle: ReportingCycle) -> BuildRun:
    """Queue a build of ``cycle``'s consolidated report and start it once committed. If a build is already in
    progress, that one is returned: a double click never builds twice."""
    _guard(actor, cycle)
    report = ConsolidatedReport.objects.select_for_update().filter(cycle=cycle).first()
    if report is None:
        report = consolidated_report_suggested(cycle=cycle)
        report.version = 1
        report.updated_by = actor
        report._history_user = actor
        report._change_reason = _("Soạn báo cáo tổng hợp (nội dung gợi ý)")
        report.save()
    _fail_stale_runs(report)
    active = report.runs.active().first()
    if active is not None:
        return active
    run = BuildRun.objects.create(
        report=report, requested_by=actor, narrative_version=report.version, step=_("Đang chờ")
    )
    runner.start(run.pk)  # queued in this transaction: the worker sees the task only with its committed run
    return run


def _progress(run_id: int, claim):
    def report(percent: int, step: str) -> None:
        BuildRun.objects.filter(pk=run_id, state=BuildState.RUNNING, started_at=claim).update(
            progress=percent, step=step
        )

    return report


def _claim(run_id: int, *, takeover: bool):
    """Mark the run running and return the claim (its new ``started_at``), or None if it is not ours to run.

    The claim is a fencing token: every later write names it in its WHERE clause, so an attempt that was taken
    over writes nothing. ``takeover`` is for the queue handing the task out again, which it does only when the
    worker that had it died: a run left "running" by that worker is claimed afresh.
    """
    run = BuildRun.objects.filter(pk=run_id).only("state", "started_at", "created_at").first()
    if run is None or not run.is_active:
        return None
    now = timezone.now()
    if run.is_stale(now):
        BuildRun.objects.filter(pk=run_id, state=run.state, started_at=run.started_at).update(
            state=BuildState.FAILED, finished_at=now, error=_("Bị gián đoạn (máy chủ khởi động lại?).")
        )
        return None
    if run.state == BuildState.RUNNING and not takeover:
        return None
    if run.state == BuildState.RUNNING:
        log.warning("Consolidated report build %s: taking over from a worker that stopped", run_id)
    claimed = BuildRun.objects.filter(pk=run_id, state=run.state, started_at=run.started_at).update(
        state=BuildState.RUNNING, started_at=now, progress=1, step=_("Bắt đầu"), error=""
    )
    return now if claimed else None


@in_office_language
def build_execute(*, run_id: int, takeover: bool = False) -> BuildRun | None:
    """Run the build ``run_id`` if it is queued (or, with ``takeover``, left running by a worker that died).

    Returns None when there was nothing to do (done, failed, or claimed by someone else). Never raises: a failure
    is recorded on the run. Files go to storage under fresh names; an attempt that lost its claim meanwhile
    deletes its files and leaves the run to the attempt that holds it.
    """
    claim = _claim(run_id, takeover=takeover)
    if claim is None:
        return None
    run = BuildRun.objects.select_related("report__cycle__plan").get(pk=run_id)
    progress = _progress(run_id, claim)
    try:
        built = build_consolidated(
            cycle=run.report.cycle, narrative=run.report.narrative(), progress=progress
        )
        progress(95, _("Lưu tệp"))
        run.docx.save(built.docx_name, ContentFile(built.docx), save=False)
        run.xlsx.save(built.xlsx_name, ContentFile(built.xlsx), save=False)
        run.docx_name, run.xlsx_name = built.docx_name, built.xlsx_name
        run.manifest = built.manifest()
        run.duration_ms = round(built.timings["total"] * 1000)
        run.state, run.progress, run.step = BuildState.DONE, 100, _("Hoàn thành")
    except Exception as exc:  # recorded for the user; the traceback goes to the log
        log.exception("Consolidated report build %s failed", run_id)
        run.state, run.step = BuildState.FAILED, _("Lỗi")
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
    run.finished_at = timezone.now()
    outcome = {
        field: getattr(run, field)
        for field in (
            "state",
            "progress",
            "step",
            "error",
            "finished_at",
            "docx",
            "xlsx",
            "docx_name",
            "xlsx_name",
            "manifest",
            "duration_ms",
        )
    }
    written = BuildRun.objects.filter(pk=run_id, state=BuildState.RUNNING, started_at=claim).update(**outcome)
    if not written:
        log.warning("Consolidated report build %s was taken over; this attempt's files are dropped", run_id)
        for field in (run.docx, run.xlsx):
            if field.name:
                field.storage.delete(field.name)
        return None
    return run


# --- downloads ------------------------------------------------------------------------------------------------


def build_run_export(*, actor, run: BuildRun, kind: str, request=None) -> tuple[File, str]:
    """The ``kind`` file ("docx" or "xlsx") of the finished ``run``, opened for reading, and its download name.

    The download is recorded in the security log as an export, like every other file taken out of the
    application (evidence, a report's Excel file). Who may read ``run`` is decided before, by
    ``permissions.build_run_get_for_user``.
    """
    files = {"docx": (run.docx, run.docx_name), "xlsx": (run.xlsx, run.xlsx_name)}
    field, name = files.get(kind, (None, "")) if run.is_done else (None, "")
    if not field:
        raise BuildFileMissing(_("Lần tạo báo cáo này không có tệp cần tải."))
    handle = field.open("rb")  # before the log: a file missing from storage is no export
    security_event_record(
        actor=actor,
        action=SecurityAction.EXPORT,
        request=request,
        target=str(run.report),
        detail={"format": kind, "run": run.pk},
    )
    return handle, name
