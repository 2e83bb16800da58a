"""Writes of the reporting workflow: one service per transition, each atomic, each refusing an illegal move.

States (docs/design/reporting-workflow.md)::

    draft ──report_submit──▶ submitted ──report_accept──▶ accepted (frozen)
      ▲                        │
      │                  report_return
      │                        ▼
      └── (edits) ─────── returned ──report_resubmit──▶ submitted

    draft / returned ──report_hand_over (reporter)──▶ with_head ──report_send (head)──▶ submitted
                     ◀──report_hand_back (head, comment)──┘

``now`` parameters exist for data loaders (the demo cycle) and default to the current time.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from plantrack.accounts.models import AGENCY_ROLES, Role
from plantrack.accounts.permissions import is_coordinator_of, is_head_of, is_member_of, role_holders
from plantrack.notifications.services import notify
from plantrack.orgs.models import Agency
from plantrack.plans.models import AssignmentRole, Plan, Task
from plantrack.plans.responsibility import PlanResponsibility
from plantrack.security.models import SecurityAction
from plantrack.security.services import security_event_record

from .excel import report_xlsx_parse
from .facts import EntryFacts, ProposalIn, facts_problems, proposal_normalized, proposal_problems
from .models import (
    EDITABLE_STATES,
    HIGHER_ADDRESSEES,
    OWN_STATES,
    PERIOD_COUNT,
    AgencyReport,
    CyclePeriod,
    CycleState,
    EntryDocument,
    EntryEvent,
    EntryFunding,
    EntryStatus,
    Evidence,
    EvidenceKind,
    ReportEntry,
    ReportingCycle,
    ReportProposal,
    ReportState,
    ReportSubmission,
    ReportTransition,
    ReviewComment,
    period_label,
)
from .permissions import editable_states_for

# The regime services live in regimes.py and are reached through this module like every other write.
from .regimes import (  # noqa: F401
    adhoc_request_create,
    cycle_due_date,
    cycles_open_from_regime,
    data_window,
    reports_prefill_from_half_year,
)
from .selectors import report_snapshot
from .signals import report_accepted_on_commit
from .uploads import UploadRejected, check_evidence_file


class ReportingError(Exception):
    """A refused move; ``str(error)`` is the Vietnamese message shown to the user. Raised as such for data the move
    cannot take (an invalid year, a missing comment, an entry of another report); the subclasses below say why
    else a move is refused, so that pages and the API answer alike without asking again."""


class WorkflowNotFound(ReportingError):
    """What the move names does not exist for the actor."""


class WorkflowNotAllowed(ReportingError):
    """The actor's role does not allow this move on this report or cycle."""


class WorkflowWrongState(ReportingError):
    """The report or cycle is not in a state the move starts from (already sent, accepted, closed, opened)."""


class StaleReportError(ReportingError):
    """The form was built on an older version of the report: someone saved in between."""

    def __init__(self, message: str, *, current: AgencyReport):
        super().__init__(message)
        self.current = current


SECTION_FIELDS = AgencyReport.SECTION_FIELDS
ENTRY_FIELDS = ("status", "results", "difficulties")


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _fmt(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%H:%M %d/%m/%Y")


def _demo_prefix(cycle: ReportingCycle) -> str:
    return "[DỮ LIỆU DEMO] " if cycle.is_demo else ""


def _agency_people(agency_id: int):
    return role_holders(AGENCY_ROLES, agency_id)


def _coordinators(plan: Plan):
    return role_holders(Role.COORDINATOR, plan.coordinator_agency_id, plan=plan)


def _record(
    report: AgencyReport,
    *,
    actor,
    from_state: str,
    reason: str,
    at,
    comment: str = "",
    submission: ReportSubmission | None = None,
) -> None:
    report._change_reason = reason
    report._history_user = actor
    report._history_date = at
    report.save()
    ReportTransition.objects.create(
        report=report,
        from_state=from_state,
        to_state=report.state,
        actor=actor,
        at=at,
        comment=comment,
        submission=submission,
    )


def _lock(report: AgencyReport, *, expected_version: int | None, allowed_states, refuse_message: str) -> None:
    """Claim the next version of ``report`` with a conditional UPDATE: the WHERE clause holds the version the
    caller read, so of two concurrent writers exactly one wins and the other is refused (no lost update)."""
    version = report.version if expected_version is None else expected_version
    claimed = AgencyReport.objects.filter(pk=report.pk, version=version, state__in=allowed_states).update(
        version=F("version") + 1
    )
    if claimed:
        report.version = version + 1
        return
    _refuse(report, allowed_states=allowed_states, refuse_message=refuse_message)


def _refuse(report: AgencyReport, *, allowed_states, refuse_message: str):
    current = AgencyReport.objects.select_related("last_saved_by", "cycle").get(pk=report.pk)
    if current.state not in allowed_states:
        raise WorkflowWrongState(refuse_message % {"state": current.get_state_display().lower()})
    who = current.last_saved_by.display_name if current.last_saved_by else _("một người khác")
    when = _fmt(current.last_saved_at) if current.last_saved_at else ""
    raise StaleReportError(
        _(
            "Báo cáo vừa được %(who)s lưu lúc %(when)s, sau khi bạn mở biểu mẫu. Nội dung bạn nhập vẫn còn bên dưới; "
            "hãy xem lại phiên bản mới rồi lưu lại."
        )
        % {"who": who, "when": when},
        current=current,
    )


# --- Cycles ---------------------------------------------------------------------------------------------------


def default_due_date(plan: Plan, year: int) -> datetime.date:
    return cycle_due_date(plan, CyclePeriod.YEARLY, year, 1)


@transaction.atomic
def cycle_open(
    *,
    actor,
    plan: Plan,
    year: int,
    due_date: datetime.date | None = None,
    data_as_of: datetime.date | None = None,
    note: str = "",
    is_demo: bool = False,
    now: datetime.datetime | None = None,
    period_type: str = CyclePeriod.YEARLY,
    period_index: int = 1,
    ad_hoc_request=None,
    agency_ids=None,
    task_ids=None,
) -> ReportingCycle:
    """Open a cycle of ``plan`` (the year by default; a 6-month, quarter or month period of ``year``; or the
    cycle of an ``ad_hoc_request``) and create the expected report of every agency that leads or coordinates at
    least one task on the due date (group assignments expanded; "… liên quan" is not). ``agency_ids`` and
    ``task_ids`` narrow an ad hoc cycle to its scope: every agency of ``agency_ids`` gets a report, with the tasks
    it owes among ``task_ids``. A yearly report starts from the agency's 6-month report of the year when sent."""
    if not Plan.objects.for_user(actor).filter(pk=plan.pk).exists():
        raise WorkflowNotFound(_("Không tìm thấy kế hoạch."))
    if not is_coordinator_of(actor, plan):
        raise WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được mở kỳ báo cáo.")
        )
    if not 2000 <= year <= 2100:
        raise ReportingError(_("Năm báo cáo không hợp lệ."))
    ad_hoc = period_type == CyclePeriod.AD_HOC
    if ad_hoc != (ad_hoc_request is not None) or not 1 <= period_index <= PERIOD_COUNT.get(period_type, 0):
        raise ReportingError(_("Kỳ báo cáo không hợp lệ."))
    if (
        not ad_hoc
        and ReportingCycle.objects.filter(
            plan=plan, year=year, period_type=period_type, period_index=period_index
        ).exists()
    ):
        raise WorkflowWrongState(
            _("Kỳ báo cáo %(label)s của Kế hoạch %(plan)s đã được mở.")
            % {"label": period_label(period_type, year, period_index), "plan": plan.code}
        )
    if ad_hoc:
        due_date = due_date or ad_hoc_request.due_date
        period_start, period_end = datetime.date(year - 1, 12, 15), data_as_of or due_date
    else:
        due_date = due_date or cycle_due_date(plan, period_type, year, period_index)
        period_start, period_end = data_window(period_type, year, period_index)
    cycle = ReportingCycle(
        plan=plan,
        year=year,
        period_type=period_type,
        period_index=period_index,
        ad_hoc_request=ad_hoc_request,
        due_date=due_date,
        period_start=period_start,
        period_end=period_end,
        data_as_of=data_as_of or period_end,
        opened_by=actor,
        note=note,
        is_demo=is_demo,
    )
    cycle._change_reason = _("Mở kỳ báo cáo")
    cycle._history_user = actor
    cycle._history_date = _now(now)
    cycle.save()

    owed_tasks = PlanResponsibility(plan=plan, day=due_date).owed()
    if agency_ids is not None:  # an ad hoc scope: these agencies and nobody else, even one owing no task
        owed_tasks = {a: owed_tasks.get(a, {}) for a in agency_ids}
    if task_ids is not None:
        owed_tasks = {a: {t: o for t, o in tasks.items() if t in task_ids} for a, tasks in owed_tasks.items()}
    owed = {
        agency_id: {task_id: o.roles for task_id, o in tasks.items()}
        for agency_id, tasks in owed_tasks.items()
    }
    task_order = dict(Task.objects.filter(plan=plan).values_list("pk", "order"))
    reports = bulk_create_with_history(
        [
            AgencyReport(cycle=cycle, agency_id=agency_id, data_as_of=cycle.data_as_of)
            for agency_id in sorted(owed)
        ],
        AgencyReport,
        default_user=actor,
        default_change_reason=_("Mở kỳ báo cáo"),
        default_date=_now(now),
    )
    if not all(r.pk for r in reports):  # databases that do not return ids from bulk inserts
        reports = list(AgencyReport.objects.filter(cycle=cycle))
    entries = []
    for report in reports:
        tasks = owed[report.agency_id]
        for task_id in sorted(tasks, key=lambda t: task_order.get(t, 0)):
            role = AssignmentRole.LEAD if AssignmentRole.LEAD in tasks[task_id] else AssignmentRole.COORDINATE
            entries.append(
                ReportEntry(
                    report=report,
                    task_id=task_id,
                    role=role,
                    order=task_order.get(task_id, 0),
                    inherited_from="; ".join(sorted(owed_tasks[report.agency_id][task_id].origins)),
                )
            )
    bulk_create_with_history(
        entries,
        ReportEntry,
        default_user=actor,
        default_change_reason=_("Mở kỳ báo cáo"),
        default_date=_now(now),
    )

    reports_prefill_from_half_year(actor=actor, cycle=cycle, now=_now(now))

    people = role_holders(AGENCY_ROLES, owed.keys())
    notify(
        recipients=people,
        subject=_demo_prefix(cycle)
        + _("Mở kỳ báo cáo %(label)s — Kế hoạch %(plan)s") % {"label": cycle.label, "plan": plan.code},
        body=_("Kỳ báo cáo %(label)s của Kế hoạch %(plan)s đã mở. Hạn gửi báo cáo: %(due)s.")
        % {"label": cycle.label, "plan": plan.code, "due": due_date.strftime("%d/%m/%Y")},
        url=reverse("reporting:my_reports"),
        is_demo=is_demo,
    )
    return cycle


@transaction.atomic
def cycle_update(
    *, actor, cycle: ReportingCycle, due_date: datetime.date, data_as_of: datetime.date, note: str = ""
) -> ReportingCycle:
    """Change the due date or the data date of a cycle. Reports already judged late keep their flag."""
    if not is_coordinator_of(actor, cycle.plan):
        raise WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được sửa kỳ báo cáo.")
        )
    cycle.due_date, cycle.data_as_of, cycle.note = due_date, data_as_of, note
    cycle._change_reason = _("Sửa thông tin kỳ báo cáo")
    cycle._history_user = actor
    cycle.save()
    return cycle


@transaction.atomic
def cycle_close(*, actor, cycle: ReportingCycle) -> ReportingCycle:
    """Close a cycle: no more edits or submissions; the department may still accept or return what was sent."""
    if not is_coordinator_of(actor, cycle.plan):
        raise WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được đóng kỳ báo cáo.")
        )
    if cycle.state == CycleState.CLOSED:
        raise WorkflowWrongState(_("Kỳ báo cáo này đã đóng."))
    cycle.state = CycleState.CLOSED
    cycle._change_reason = _("Đóng kỳ báo cáo")
    cycle._history_user = actor
    cycle.save()
    return cycle


# --- Drafts ---------------------------------------------------------------------------------------------------


def report_save_draft(
    *,
    actor,
    report: AgencyReport,
    version: int,
    sections: Mapping[str, str] | None = None,
    entries: Mapping[int, Mapping[str, str]] | None = None,
    data_as_of: datetime.date | None = None,
    now: datetime.datetime | None = None,
    reason: str | None = None,
    facts: Mapping[int, EntryFacts] | None = None,
    proposals: Sequence[ProposalIn] | None = None,
) -> AgencyReport:
    """Save the agency's draft (or returned report being corrected).

    ``version`` is the one the form was built on; if someone saved since, ``StaleReportError`` is raised and
    nothing is written. ``entries`` maps entry ids of this report to their new ``status``/``results``/
    ``difficulties``; ids of another report are refused. ``facts`` (by entry id) replaces those entries'
    documents, events and funding; ``proposals`` becomes the report's list of proposals (see
    ``_proposals_write``). ``None`` leaves them as they are. The rules are in ``facts.py``.
    """
    if not is_member_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ chuyên viên hoặc lãnh đạo của đơn vị mới được sửa báo cáo này."))
    if not report.cycle.is_open:
        raise WorkflowWrongState(_("Kỳ báo cáo đã đóng, không thể sửa báo cáo."))
    allowed = editable_states_for(actor, report)
    # A plain read first: a form that is already stale is refused without queueing for the write lock (on SQLite
    # every write transaction takes it at BEGIN). The conditional UPDATE in _lock stays the real guard.
    current = AgencyReport.objects.filter(pk=report.pk).values_list("version", "state").first()
    if current is not None and (current[0] != version or current[1] not in allowed):
        _refuse(
            report,
            allowed_states=allowed,
            refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không thể sửa."),
        )
    return _save_draft(
        actor=actor,
        report=report,
        allowed=allowed,
        version=version,
        sections=sections,
        entries=entries,
        data_as_of=data_as_of,
        now=now,
        reason=reason,
        facts=facts,
        proposals=proposals,
    )


@transaction.atomic
def _save_draft(
    *,
    actor,
    report,
    version,
    sections,
    entries,
    data_as_of,
    now,
    reason,
    facts=None,
    proposals=None,
    allowed=EDITABLE_STATES,
) -> AgencyReport:
    entries = entries or {}
    own = {e.pk: e for e in report.entries.select_related("task")}
    unknown = (set(entries) | set(facts or {})) - set(own)
    if unknown:
        raise ReportingError(_("Biểu mẫu có nội dung không thuộc báo cáo này."))
    for values in entries.values():
        if values.get("status", "") not in ("", *EntryStatus.values):
            raise ReportingError(_("Tình trạng thực hiện không hợp lệ."))
    today = timezone.localdate(_now(now))
    problems = []
    if facts:
        problems += facts_problems(
            facts, cycle=report.cycle, codes={pk: e.task.code for pk, e in own.items()}, today=today
        )
    if proposals is not None:
        proposals = [proposal_normalized(p, report=report) for p in proposals]
        wanted = {p.addressee_agency_id for p in proposals if p.addressee_agency_id}
        known = set(Agency.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        problems += proposal_problems(proposals, report=report, known_agencies=known)
    if problems:
        raise ReportingError(" ".join(problems))
    _lock(
        report,
        expected_version=version,
        allowed_states=allowed,
        refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không thể sửa."),
    )
    moment = _now(now)
    for field, value in (sections or {}).items():
        if field not in SECTION_FIELDS:
            raise ReportingError(_("Mục báo cáo không hợp lệ."))
        setattr(report, field, value)
    if data_as_of is not None:
        report.data_as_of = data_as_of
    # A draft saved before stays "draft" outside the agency whatever it holds (the version claimed above proves the
    # state and first save read with the report are still the row's).
    report.seen_by_agency_only = report.state in OWN_STATES and report.last_saved_at is not None
    report.last_saved_at, report.last_saved_by = moment, actor
    report._change_reason = reason or _("Lưu bản nháp")
    report._history_user = actor
    report._history_date = moment
    try:
        report.save()
    finally:
        report.seen_by_agency_only = False
    changed_entries = []
    for entry_id, values in entries.items():
        entry = own[entry_id]
        changed = [f for f in ENTRY_FIELDS if f in values and getattr(entry, f) != values[f]]
        if changed:
            for f in changed:
                setattr(entry, f, values[f])
            changed_entries.append(entry)
    if changed_entries:
        # One UPDATE and one history INSERT for all changed entries: the write lock is held for less time.
        bulk_update_with_history(
            changed_entries,
            ReportEntry,
            list(ENTRY_FIELDS),
            default_user=actor,
            default_change_reason=reason or _("Lưu bản nháp"),
            default_date=moment,
        )
    if facts:
        _facts_write(facts)
    if proposals is not None:
        _proposals_write(report, proposals)
    return report


def _facts_write(facts: Mapping[int, EntryFacts]) -> None:
    """Replace the facts of the given entries: three DELETEs and three bulk INSERTs whatever their number."""
    ids = list(facts)
    for model in (EntryDocument, EntryEvent, EntryFunding):
        model.objects.filter(entry_id__in=ids).delete()
    EntryDocument.objects.bulk_create(
        EntryDocument(
            entry_id=entry_id,
            number_symbol=d.number_symbol.strip(),
            issued_on=d.issued_on,
            subject=d.subject.strip(),
            order=i,
        )
        for entry_id, item in facts.items()
        for i, d in enumerate(item.documents, start=1)
    )
    EntryEvent.objects.bulk_create(
        EntryEvent(
            entry_id=entry_id,
            kind=e.kind,
            count=e.count,
            participants=e.participants,
            note=e.note.strip()[:500],
            order=i,
        )
        for entry_id, item in facts.items()
        for i, e in enumerate(item.events, start=1)
    )
    EntryFunding.objects.bulk_create(
        EntryFunding(
            entry_id=entry_id,
            year=f.year,
            provincial=f.provincial,
            central=f.central,
            other=f.other,
            spent=f.spent,
            note=f.note.strip()[:500],
        )
        for entry_id, item in facts.items()
        for f in item.funding
    )


def _proposals_write(report: AgencyReport, items: Sequence[ProposalIn]) -> None:
    """Make ``items`` the report's proposals. An item naming one of the report's proposals by id, or written
    exactly as one already is (an Excel round trip has no ids), keeps that row and the department's decisions on
    it; the others are created; proposals no longer listed are deleted. A proposal whose addressee is no longer a
    higher body leaves the consolidated report."""
    existing = {p.pk: p for p in report.proposal_items.all()}
    unclaimed = dict(existing)

    def same(p: ReportProposal, item: ProposalIn) -> bool:
        return (p.addressee, p.addressee_name, p.addressee_agency_id, p.text) == (
            item.addressee,
            item.addressee_name.strip(),
            item.addressee_agency_id,
            item.text.strip(),
        )

    keep, create = [], []
    for order, item in enumerate(items, start=1):
        row = unclaimed.pop(item.id, None) if item.id else None
        if row is None:
            row = next((p for p in unclaimed.values() if same(p, item)), None)
            if row is not None:
                unclaimed.pop(row.pk)
        if row is None:
            row = ReportProposal(report=report)
            create.append(row)
        else:
            keep.append(row)
        row.addressee, row.addressee_name = item.addressee, item.addressee_name.strip()
        row.addressee_agency_id, row.text, row.order = item.addressee_agency_id, item.text.strip(), order
        if row.addressee not in HIGHER_ADDRESSEES:
            row.include = False
    if unclaimed:
        ReportProposal.objects.filter(pk__in=list(unclaimed)).delete()
    if keep:
        ReportProposal.objects.bulk_update(
            keep, ["addressee", "addressee_name", "addressee_agency", "text", "order", "include"]
        )
    if create:
        ReportProposal.objects.bulk_create(create)


@transaction.atomic
def proposals_decide(
    *,
    actor,
    report: AgencyReport,
    include: Iterable[int] = (),
    answers: Mapping[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> list[ReportProposal]:
    """The department's choices on a sent report's proposals: ``include`` lists the proposals to higher bodies that
    go into the consolidated report (the others to higher bodies are left out); ``answers`` answers, by id, those
    addressed to the department itself (or to nobody in particular, or to another agency, which the department
    then takes up). The agency is notified of new answers."""
    if not is_coordinator_of(actor, report.cycle.plan):
        raise WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được xử lý kiến nghị.")
        )
    if report.state not in (ReportState.SUBMITTED, ReportState.ACCEPTED):
        raise WorkflowWrongState(_("Chỉ xử lý kiến nghị của báo cáo đã gửi."))
    items = {p.pk: p for p in report.proposal_items.select_for_update()}
    include, answers = set(include), {k: (v or "").strip() for k, v in (answers or {}).items()}
    if (include | set(answers)) - set(items):
        raise ReportingError(_("Kiến nghị không thuộc báo cáo này."))
    if any(not items[pk].is_higher for pk in include):
        raise ReportingError(
            _(
                "Chỉ kiến nghị gửi Ủy ban nhân dân tỉnh hoặc Bộ, ngành trung ương mới đưa vào báo cáo tổng hợp."
            )
        )
    if any(items[pk].is_higher and text for pk, text in answers.items()):
        raise ReportingError(_("Kiến nghị gửi cấp trên được chuyển đi, cơ quan theo dõi không trả lời thay."))
    moment = _now(now)
    changed, answered = [], []
    for pk, item in items.items():
        before = (item.include, item.answer)
        if item.is_higher:
            item.include = pk in include
        elif pk in answers:
            if answers[pk] != item.answer:
                item.answered_on = timezone.localdate(moment) if answers[pk] else None
                if answers[pk]:
                    answered.append(item)
            item.answer = answers[pk]
        if (item.include, item.answer) != before:
            item.decided_by = actor
            changed.append(item)
    if changed:
        ReportProposal.objects.bulk_update(changed, ["include", "answer", "answered_on", "decided_by"])
        _log_evidence(report, actor, _("Xử lý kiến nghị của đơn vị"))
    if answered:
        cycle = report.cycle
        notify(
            recipients=_agency_people(report.agency_id),
            subject=_demo_prefix(cycle)
            + _("%(dept)s trả lời kiến nghị của đơn vị") % {"dept": cycle.plan.coordinator_agency.name},
            body="\n\n".join(f"{p.text}\n→ {p.answer}" for p in answered),
            url=reverse("reporting:report_detail", args=[report.pk]),
            is_demo=cycle.is_demo,
        )
    return list(items.values())


# --- Transitions ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingItem:
    """One thing still empty that stops the report from being sent: ``field`` is the form field's name (the page
    links to its ``id_<field>`` anchor)."""

    task_code: str
    field: str
    what: str  # "status" or "results"
    task_text: str = ""  # the task's words, so the checklist reads without the plan at hand


def report_missing_items(report: AgencyReport) -> list[MissingItem]:
    """What is still empty and must be filled before sending: every task needs a status, and a result unless
    not started. In entry order."""
    items = []
    for e in report.entries.all():
        if e.closed_note:  # closed by a plan amendment: nothing more is asked (reporting.amendments)
            continue
        if not e.status:
            items.append(
                MissingItem(
                    task_code=e.task.code, field=f"e{e.pk}-status", what="status", task_text=e.task.text
                )
            )
        elif e.status != EntryStatus.NOT_STARTED and not e.results.strip():
            items.append(
                MissingItem(
                    task_code=e.task.code, field=f"e{e.pk}-results", what="results", task_text=e.task.text
                )
            )
    return items


def submission_problems(report: AgencyReport) -> list[str]:
    """What stops ``report`` from being sent, in words: every task needs a status, and a result unless not
    started."""
    items = report_missing_items(report)
    problems = []
    no_status = [i.task_code for i in items if i.what == "status"]
    if no_status:
        problems.append(_("Chưa chọn tình trạng cho nhiệm vụ: %(codes)s.") % {"codes": ", ".join(no_status)})
    no_result = [i.task_code for i in items if i.what == "results"]
    if no_result:
        problems.append(
            _("Chưa nhập kết quả thực hiện cho nhiệm vụ: %(codes)s.") % {"codes": ", ".join(no_result)}
        )
    return problems


class IncompleteReportError(ReportingError):
    """The report cannot be sent yet; ``missing`` lists what is empty (pages link each item to its field)."""

    def __init__(self, message: str, *, missing: list[MissingItem]):
        super().__init__(message)
        self.missing = missing


def _send(
    *, actor, report: AgencyReport, from_states: tuple[str, ...], version: int | None, now, reason: str
) -> AgencyReport:
    if not is_head_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ lãnh đạo đơn vị mới được gửi báo cáo."))
    if not report.cycle.is_open:
        raise WorkflowWrongState(_("Kỳ báo cáo đã đóng, không thể gửi báo cáo."))
    if report.state not in from_states:
        raise WorkflowWrongState(
            _("Báo cáo đang ở trạng thái “%(state)s”, không thể gửi.")
            % {"state": report.get_state_display().lower()}
        )
    from_state = report.state
    report = (
        AgencyReport.objects.select_related("cycle__plan", "agency")
        .prefetch_related("entries__task")
        .get(pk=report.pk)
    )
    problems = submission_problems(report)
    if problems:
        raise IncompleteReportError(
            _("Chưa thể gửi báo cáo. ") + " ".join(problems), missing=report_missing_items(report)
        )
    _lock(
        report,
        expected_version=version,
        allowed_states=[from_state],
        refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không thể gửi."),
    )
    moment = _now(now)
    if report.first_submitted_at is None:
        report.first_submitted_at = moment
        report.is_late = moment > report.cycle.deadline
    report.submitted_at, report.submitted_by = moment, actor
    report.state = ReportState.SUBMITTED
    number = report.submissions.count() + 1
    submission = ReportSubmission.objects.create(
        report=report,
        number=number,
        submitted_at=moment,
        submitted_by=actor,
        is_late=moment > report.cycle.deadline,
        snapshot=report_snapshot(report, submitted_at=moment, actor=actor),
    )
    _record(report, actor=actor, from_state=from_state, reason=reason, at=moment, submission=submission)
    cycle = report.cycle
    late = _(" (nộp muộn)") if moment > cycle.deadline else ""
    notify(
        recipients=[*_coordinators(cycle.plan), *_agency_people(report.agency_id)],
        subject=_demo_prefix(cycle)
        + _("%(agency)s đã gửi báo cáo năm %(year)s%(late)s")
        % {"agency": report.agency.display_short, "year": cycle.year, "late": late},
        body=_(
            "%(who)s đã gửi báo cáo năm %(year)s của %(agency)s (Kế hoạch %(plan)s) lúc %(when)s, lần gửi thứ %(n)s."
        )
        % {
            "who": actor.display_name,
            "year": cycle.year,
            "agency": report.agency.name,
            "plan": cycle.plan.code,
            "when": _fmt(moment),
            "n": number,
        },
        url=reverse("reporting:report_detail", args=[report.pk]),
        is_demo=cycle.is_demo,
    )
    return report


@transaction.atomic
def report_submit(
    *, actor, report: AgencyReport, version: int | None = None, now: datetime.datetime | None = None
) -> AgencyReport:
    """draft → submitted, by the agency head (also from with_head, a draft the reporter handed over). A first
    submission after the due date marks the report late."""
    if report.state == ReportState.WITH_HEAD and report.first_submitted_at is not None:
        raise WorkflowWrongState(_("Báo cáo này đã gửi trước đây: hãy gửi lại (sau khi bị trả lại)."))
    return _send(
        actor=actor,
        report=report,
        from_states=(ReportState.DRAFT, ReportState.WITH_HEAD),
        version=version,
        now=now,
        reason=_("Gửi báo cáo"),
    )


@transaction.atomic
def report_resubmit(
    *, actor, report: AgencyReport, version: int | None = None, now: datetime.datetime | None = None
) -> AgencyReport:
    """returned → submitted, by the agency head, after corrections (also from with_head, a returned report the
    reporter corrected and handed over)."""
    if report.state == ReportState.WITH_HEAD and report.first_submitted_at is None:
        raise WorkflowWrongState(_("Báo cáo này chưa gửi lần nào: hãy gửi lần đầu."))
    return _send(
        actor=actor,
        report=report,
        from_states=(ReportState.RETURNED, ReportState.WITH_HEAD),
        version=version,
        now=now,
        reason=_("Gửi lại báo cáo sau khi chỉnh sửa"),
    )


def report_send(
    *, actor, report: AgencyReport, version: int | None = None, now: datetime.datetime | None = None
) -> AgencyReport:
    """The head sends the report: a first submission from a draft (``report_submit``), or a correction after a
    return (``report_resubmit``). Pages and the API call this one so that the choice is made once."""
    # A report handed to the head came from a draft (never sent) or from a return (sent before).
    sent_before = report.state == ReportState.RETURNED or (
        report.state == ReportState.WITH_HEAD and report.first_submitted_at is not None
    )
    send = report_resubmit if sent_before else report_submit
    return send(actor=actor, report=report, version=version, now=now)


# --- Handover inside the agency -------------------------------------------------------------------------------


@transaction.atomic
def report_hand_over(
    *,
    actor,
    report: AgencyReport,
    version: int,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> AgencyReport:
    """draft or returned → with_head ("Trình lãnh đạo"), by a reporter of the agency. The agency's heads are
    notified; what is still empty does not stop the handover (the head decides, and sending checks it)."""
    if not is_member_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ chuyên viên của đơn vị mới được trình báo cáo này."))
    if is_head_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Lãnh đạo đơn vị gửi báo cáo trực tiếp, không cần trình."))
    if not report.cycle.is_open:
        raise WorkflowWrongState(_("Kỳ báo cáo đã đóng, không thể trình báo cáo."))
    refuse = _("Báo cáo đang ở trạng thái “%(state)s”, không thể trình lãnh đạo.")
    report = AgencyReport.objects.select_related("cycle__plan", "agency").get(pk=report.pk)
    from_state = report.state
    _lock(report, expected_version=version, allowed_states=EDITABLE_STATES, refuse_message=refuse)
    # _lock guarantees the state did not change since it was read: from_state is the state it leaves.
    moment = _now(now)
    comment = (comment or "").strip()
    report.state = ReportState.WITH_HEAD
    _record(
        report, actor=actor, from_state=from_state, reason=_("Trình lãnh đạo"), at=moment, comment=comment
    )
    cycle = report.cycle
    missing = len(report_missing_items(report))
    notify(
        recipients=role_holders(Role.HEAD, report.agency_id),
        subject=_demo_prefix(cycle)
        + _("Báo cáo năm %(year)s chờ lãnh đạo duyệt — Kế hoạch %(plan)s")
        % {"year": cycle.year, "plan": cycle.plan.code},
        body=_("%(who)s đã trình báo cáo năm %(year)s của %(agency)s (Kế hoạch %(plan)s) lúc %(when)s.")
        % {
            "who": actor.display_name,
            "year": cycle.year,
            "agency": report.agency.name,
            "plan": cycle.plan.code,
            "when": _fmt(moment),
        }
        + (f"\n{comment}" if comment else "")
        + (
            "\n" + _("Còn %(n)s mục chưa điền cần bổ sung trước khi gửi.") % {"n": missing} if missing else ""
        ),
        url=reverse("reporting:report_detail", args=[report.pk]),
        is_demo=cycle.is_demo,
    )
    return report


@transaction.atomic
def report_hand_back(
    *,
    actor,
    report: AgencyReport,
    comment: str,
    version: int,
    now: datetime.datetime | None = None,
) -> AgencyReport:
    """with_head → the state it was handed over from (draft or returned), by the agency head, with a comment
    ("Trả lại chuyên viên"). The reporter who handed it over is notified."""
    if not is_head_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ lãnh đạo đơn vị mới được trả lại báo cáo cho chuyên viên."))
    if not report.cycle.is_open:
        raise WorkflowWrongState(_("Kỳ báo cáo đã đóng."))
    comment = (comment or "").strip()
    if not comment:
        raise ReportingError(_("Cần ghi ý kiến khi trả lại báo cáo cho chuyên viên."))
    report = AgencyReport.objects.select_related("cycle__plan", "agency").get(pk=report.pk)
    _lock(
        report,
        expected_version=version,
        allowed_states=[ReportState.WITH_HEAD],
        refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không có gì để trả lại chuyên viên."),
    )
    handover = report.transitions.filter(to_state=ReportState.WITH_HEAD).select_related("actor").last()
    back_to = (
        handover.from_state if handover and handover.from_state in EDITABLE_STATES else ReportState.DRAFT
    )
    moment = _now(now)
    report.state = back_to
    _record(
        report,
        actor=actor,
        from_state=ReportState.WITH_HEAD,
        reason=_("Trả lại chuyên viên: %(c)s") % {"c": comment[:80]},
        at=moment,
        comment=comment,
    )
    cycle = report.cycle
    if handover is not None:
        notify(
            recipients=[handover.actor],
            subject=_demo_prefix(cycle)
            + _("Lãnh đạo trả lại báo cáo năm %(year)s để chỉnh sửa") % {"year": cycle.year},
            body=_(
                "%(who)s đã trả lại báo cáo năm %(year)s của %(agency)s (Kế hoạch %(plan)s).\nÝ kiến: %(c)s"
            )
            % {
                "who": actor.display_name,
                "year": cycle.year,
                "agency": report.agency.name,
                "plan": cycle.plan.code,
                "c": comment,
            },
            url=reverse("reporting:report_edit", args=[report.pk]),
            is_demo=cycle.is_demo,
        )
    return report


def _review_guard(actor, report: AgencyReport, verb: str) -> None:
    if not is_coordinator_of(actor, report.cycle.plan):
        raise WorkflowNotAllowed(
            _("Chỉ cán bộ điều phối của cơ quan theo dõi kế hoạch mới được %(verb)s báo cáo.")
            % {"verb": verb}
        )
    if report.state != ReportState.SUBMITTED:
        raise WorkflowWrongState(
            _("Chỉ %(verb)s được báo cáo đã gửi; báo cáo này đang ở trạng thái “%(state)s”.")
            % {"verb": verb, "state": report.get_state_display().lower()}
        )


@transaction.atomic
def report_return(
    *,
    actor,
    report: AgencyReport,
    comment: str,
    entry_comments: Mapping[int, str] | None = None,
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> AgencyReport:
    """submitted → returned, by a coordinator, with a general comment and optional remarks per entry."""
    _review_guard(actor, report, _("trả lại"))
    comment = (comment or "").strip()
    if not comment:
        raise ReportingError(_("Cần ghi ý kiến chung khi trả lại báo cáo."))
    entry_comments = {k: v.strip() for k, v in (entry_comments or {}).items() if v and v.strip()}
    own = set(report.entries.values_list("pk", flat=True))
    if set(entry_comments) - own:
        raise ReportingError(_("Ý kiến gửi kèm không thuộc báo cáo này."))
    _lock(
        report,
        expected_version=version,
        allowed_states=[ReportState.SUBMITTED],
        refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không thể trả lại."),
    )
    moment = _now(now)
    round_ = report.submissions.count()
    ReviewComment.objects.create(
        report=report, entry=None, round=round_, author=actor, text=comment, created_at=moment
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(
            report=report, entry_id=entry_id, round=round_, author=actor, text=text, created_at=moment
        )
        for entry_id, text in entry_comments.items()
    )
    report.state = ReportState.RETURNED
    report.returned_at, report.return_comment = moment, comment
    _record(
        report,
        actor=actor,
        from_state=ReportState.SUBMITTED,
        reason=_("Trả lại: %(c)s") % {"c": comment[:80]},
        at=moment,
        comment=comment,
    )
    cycle = report.cycle
    notify(
        recipients=_agency_people(report.agency_id),
        subject=_demo_prefix(cycle)
        + _("Báo cáo năm %(year)s bị trả lại để chỉnh sửa") % {"year": cycle.year},
        body=_(
            "%(who)s đã trả lại báo cáo năm %(year)s của %(agency)s (Kế hoạch %(plan)s).\nÝ kiến: %(c)s%(more)s"
        )
        % {
            "who": actor.display_name,
            "year": cycle.year,
            "agency": report.agency.name,
            "plan": cycle.plan.code,
            "c": comment,
            "more": _("\nCó %(n)s ý kiến theo từng nhiệm vụ.") % {"n": len(entry_comments)}
            if entry_comments
            else "",
        },
        url=reverse("reporting:report_detail", args=[report.pk]),
        is_demo=cycle.is_demo,
    )
    return report


@transaction.atomic
def report_accept(
    *,
    actor,
    report: AgencyReport,
    comment: str = "",
    version: int | None = None,
    now: datetime.datetime | None = None,
) -> AgencyReport:
    """submitted → accepted, by a coordinator. The report is frozen and points at the submission accepted."""
    _review_guard(actor, report, _("tiếp nhận"))
    _lock(
        report,
        expected_version=version,
        allowed_states=[ReportState.SUBMITTED],
        refuse_message=_("Báo cáo đang ở trạng thái “%(state)s”, không thể tiếp nhận."),
    )
    moment = _now(now)
    report.state = ReportState.ACCEPTED
    report.accepted_at, report.accepted_by = moment, actor
    report.accepted_submission = report.submissions.order_by("-number").first()
    _record(
        report,
        actor=actor,
        from_state=ReportState.SUBMITTED,
        reason=_("Tiếp nhận báo cáo"),
        at=moment,
        comment=comment.strip(),
        submission=report.accepted_submission,
    )
    cycle = report.cycle
    # The figures typed into the report now count (indicators listens and has the report's charts prepared).
    report_accepted_on_commit(report=report)
    notify(
        recipients=_agency_people(report.agency_id),
        subject=_demo_prefix(cycle) + _("Báo cáo năm %(year)s đã được tiếp nhận") % {"year": cycle.year},
        body=_("%(who)s đã tiếp nhận báo cáo năm %(year)s của %(agency)s (Kế hoạch %(plan)s).")
        % {
            "who": actor.display_name,
            "year": cycle.year,
            "agency": report.agency.name,
            "plan": cycle.plan.code,
        }
        + (f"\n{comment.strip()}" if comment.strip() else ""),
        url=reverse("reporting:report_detail", args=[report.pk]),
        is_demo=cycle.is_demo,
    )
    return report


# --- Evidence -------------------------------------------------------------------------------------------------


def _evidence_guard(actor, report: AgencyReport, entry: ReportEntry | None) -> None:
    if not is_member_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ chuyên viên hoặc lãnh đạo của đơn vị mới được thêm minh chứng."))
    if report.state not in EDITABLE_STATES or not report.cycle.is_open:
        raise WorkflowWrongState(
            _("Báo cáo đang ở trạng thái “%(state)s”, không thể thay đổi minh chứng.")
            % {"state": report.get_state_display().lower()}
        )
    if entry is not None and entry.report_id != report.pk:
        raise ReportingError(_("Nhiệm vụ không thuộc báo cáo này."))


@transaction.atomic
def evidence_add_file(
    *, actor, report: AgencyReport, upload, entry: ReportEntry | None = None, title: str = ""
) -> Evidence:
    """Attach a file after checking its size and its type by content. Refusals raise ``ReportingError`` with the
    reason; the file is then not stored."""
    _evidence_guard(actor, report, entry)
    try:
        checked = check_evidence_file(upload)
    except UploadRejected as exc:
        raise ReportingError(str(exc)) from exc
    upload.seek(0)
    original = (getattr(upload, "name", "") or "tep")[-255:]
    evidence = Evidence(
        report=report,
        entry=entry,
        kind=EvidenceKind.FILE,
        title=title.strip()[:255],
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"x{checked.extension}", ContentFile(upload.read()), save=False)
    try:
        evidence.save()
        _log_evidence(report, actor, _("Thêm minh chứng “%(n)s”") % {"n": evidence.display_name})
        security_event_record(
            actor=actor,
            action=SecurityAction.UPLOAD,
            target=str(report),
            detail={"evidence": evidence.pk, "size": checked.size, "content_type": checked.content_type},
        )
    except Exception:
        evidence.file.storage.delete(evidence.file.name)  # no orphan file when the row is not written
        raise
    return evidence


@transaction.atomic
def evidence_add_link(
    *, actor, report: AgencyReport, url: str, entry: ReportEntry | None = None, title: str = ""
) -> Evidence:
    _evidence_guard(actor, report, entry)
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ReportingError(_("Đường dẫn minh chứng phải bắt đầu bằng http:// hoặc https://."))
    evidence = Evidence.objects.create(
        report=report,
        entry=entry,
        kind=EvidenceKind.LINK,
        url=url[:1000],
        title=title.strip()[:255],
        uploaded_by=actor,
    )
    _log_evidence(report, actor, _("Thêm đường dẫn minh chứng “%(n)s”") % {"n": evidence.display_name})
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    report = evidence.report
    _evidence_guard(actor, report, evidence.entry)
    name = evidence.display_name
    stored = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage if evidence.file else None
    evidence.delete()
    if stored:
        # Submissions keep the file's digest; the bytes go only once the deletion is committed.
        transaction.on_commit(lambda: storage.delete(stored))
    _log_evidence(report, actor, _("Xóa minh chứng “%(n)s”") % {"n": name})


@dataclass(frozen=True)
class EvidenceDownload:
    file: File
    filename: str
    content_type: str


def evidence_open(*, actor, evidence: Evidence, request=None) -> EvidenceDownload:
    """Open the stored file of ``evidence`` for ``actor`` (already allowed to see it) and record the export in the
    security log: pages and the API download through this one function. Links have no file: ``WorkflowWrongState``.
    """
    if evidence.kind != EvidenceKind.FILE:
        raise WorkflowWrongState(_("Minh chứng này là đường dẫn."))
    security_event_record(
        actor=actor,
        action=SecurityAction.EXPORT,
        request=request,
        target=str(evidence.report),
        detail={"evidence": evidence.pk},
    )
    return EvidenceDownload(
        file=evidence.file.open("rb"),
        filename=evidence.download_name,
        content_type=evidence.content_type or "application/octet-stream",
    )


def _log_evidence(report: AgencyReport, actor, reason: str) -> None:
    """Evidence changes appear in the report's history tab as a history row of the report."""
    report = AgencyReport.objects.get(pk=report.pk)
    report._change_reason = reason
    report._history_user = actor
    report.save(update_fields=["updated_at"])


# --- Excel round trip -----------------------------------------------------------------------------------------


@transaction.atomic
def report_import_xlsx(
    *, actor, report: AgencyReport, upload, now: datetime.datetime | None = None
) -> AgencyReport:
    """Save a filled-in workbook as the draft, all or nothing. Raises ``XlsxImportError`` listing each problem
    with its row and column, or ``StaleReportError`` if the report changed since the workbook was downloaded."""
    if not is_member_of(actor, report.agency_id):
        raise WorkflowNotAllowed(_("Chỉ chuyên viên hoặc lãnh đạo của đơn vị mới được sửa báo cáo này."))
    content = report_xlsx_parse(report, upload)
    try:
        return report_save_draft(
            actor=actor,
            report=report,
            version=content.version,
            sections=content.sections,
            entries=content.entries,
            facts=content.facts,
            proposals=content.proposals,
            now=now,
            reason=_("Nhập từ tệp Excel"),
        )
    except StaleReportError as exc:
        raise StaleReportError(
            _(
                "Báo cáo đã được sửa trên hệ thống sau khi bạn tải tệp mẫu, nên tệp này không được nhập để tránh ghi "
                "đè. Hãy tải mẫu mới, chép nội dung của bạn sang rồi tải lên lại."
            ),
            current=exc.current,
        ) from exc
