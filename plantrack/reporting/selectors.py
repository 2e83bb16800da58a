"""Reads of the reporting workflow used by pages, the API and commands."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from plantrack.accounts.permissions import (
    follows_plan,
    is_administrator,
    is_agency_member,
    is_member_of,
    is_viewer,
    member_agency_ids,
)
from plantrack.core.text import vi_sort_key

from .facts import entry_facts_snapshot, proposals_snapshot
from .models import (
    VISIBLE_OUTSIDE_AGENCY,
    AgencyReport,
    Evidence,
    ReportEntry,
    ReportingCycle,
    ReportProposal,
    ReportState,
    ReviewComment,
)

SNAPSHOT_FORMAT = "plantrack.report-submission/1"
# Prefetched with entries wherever their facts are shown or frozen.
FACT_RELATIONS = ("documents", "events", "funding")


def report_snapshot(report: AgencyReport, *, submitted_at: datetime.datetime, actor) -> dict:
    """Exactly what is being sent: sections, every entry with its task (code, the text in force for this report,
    the amendment note of a closed entry), and the evidence by digest."""
    entries = list(report.entries.select_related("task").prefetch_related(*FACT_RELATIONS).order_by("order"))
    evidence = defaultdict(list)
    for ev in Evidence.objects.filter(report=report).order_by("pk"):
        evidence[ev.entry_id].append(
            {
                "id": ev.pk,
                "kind": ev.kind,
                "title": ev.title,
                "name": ev.original_name,
                "url": ev.url,
                "sha256": ev.sha256,
                "size": ev.size,
                "content_type": ev.content_type,
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "report_id": report.pk,
        "version": report.version,
        "cycle": {
            "plan": report.cycle.plan.code,
            "year": report.cycle.year,
            "due_date": report.cycle.due_date.isoformat(),
        },
        "agency": {"id": report.agency_id, "name": report.agency.name},
        "submitted_at": submitted_at.isoformat(),
        "submitted_by": {"id": actor.pk, "name": actor.display_name},
        "data_as_of": report.data_as_of.isoformat() if report.data_as_of else None,
        "sections": {f: getattr(report, f) for f in AgencyReport.SECTION_FIELDS},
        "entries": [
            {
                "entry_id": e.pk,
                "task_id": e.task_id,
                "task_code": e.task.code,
                # The text the report answered to (a plan amendment may have rewritten the task since the cycle
                # opened) and, for an entry an amendment closed, its note: the snapshot reads alone.
                "task_text": e.task_text_in_force,
                "closed_note": e.closed_note,
                "role": e.role,
                "status": e.status,
                "results": e.results,
                "difficulties": e.difficulties,
                "evidence": evidence.get(e.pk, []),
                "facts": entry_facts_snapshot(e),
            }
            for e in entries
        ],
        "report_evidence": evidence.get(None, []),
        "proposals": proposals_snapshot(report),
    }


PAGE_RELATED = ("cycle__plan", "agency", "last_saved_by", "submitted_by", "accepted_by")


def _page_prefetches() -> tuple:
    return (
        Prefetch(
            "entries",
            queryset=ReportEntry.objects.select_related("task__group").prefetch_related(
                "evidence",
                *FACT_RELATIONS,
                Prefetch("comments", queryset=ReviewComment.objects.select_related("author")),
            ),
        ),
        Prefetch("evidence", queryset=Evidence.objects.filter(entry__isnull=True), to_attr="report_evidence"),
        Prefetch(
            "comments",
            queryset=ReviewComment.objects.filter(entry__isnull=True).select_related("author"),
            to_attr="general_comments",
        ),
        Prefetch("proposal_items", queryset=ReportProposal.objects.select_related("addressee_agency")),
    )


def report_for_page(*, report: AgencyReport, fresh: bool = False) -> AgencyReport:
    """The report with everything its page shows, in a fixed number of queries. ``fresh``: ``report`` was just
    read with ``PAGE_RELATED`` (``permissions.report_get_for_user``) and nothing prefetched on it: the relations
    are fetched onto it instead of reading the report again."""
    if fresh:
        prefetch_related_objects([report], *_page_prefetches())
        return report
    return (
        AgencyReport.objects.filter(pk=report.pk)
        .select_related(*PAGE_RELATED)
        .prefetch_related(*_page_prefetches())
        .get()
    )


def partner_entries(*, report: AgencyReport) -> dict[int, list[ReportEntry]]:
    """For the tasks ``report``'s agency leads: the entries its coordinating agencies have sent (submitted or
    accepted) in the same cycle, by task id. Drafts and returned reports being corrected are not shown."""
    led = [e.task_id for e in report.entries.all() if e.role == "lead"]
    if not led:
        return {}
    rows = (
        ReportEntry.objects.filter(
            report__cycle_id=report.cycle_id,
            task_id__in=led,
            role="coordinate",
            report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
        )
        .exclude(report__agency_id=report.agency_id)
        .select_related("report__agency")
        .prefetch_related("evidence")
        .order_by("report__agency__sort_key")
    )
    result: dict[int, list[ReportEntry]] = defaultdict(list)
    for row in rows:
        result[row.task_id].append(row)
    return result


@dataclass
class CycleRow:
    report: AgencyReport
    code: str
    label: str
    visible: bool
    entries: int
    entries_with_status: int


def cycle_rows(*, cycle: ReportingCycle, user, now: datetime.datetime | None = None) -> list[CycleRow]:
    """One row per expected agency with its state in words. Two queries whatever the number of agencies.

    Coordinators and viewers see every agency's state (that is what they follow up); agency members see only
    their own row. Whether a row links to the report follows ``AgencyReport.objects.for_user``.
    """
    now = now or timezone.now()
    reports = (
        AgencyReport.objects.filter(cycle=cycle)
        .select_related("agency", "cycle")
        .annotate(n_entries=Count("entries"), n_status=Count("entries", filter=~Q(entries__status="")))
        .order_by("agency__sort_key")
    )
    # Someone who also follows the plan up (accounts.Membership) sees every agency, as its coordinators do.
    member = is_agency_member(user) and not (
        follows_plan(user, cycle.plan) or is_viewer(user) or is_administrator(user)
    )
    if member:
        reports = reports.filter(agency_id__in=member_agency_ids(user))
    visible = set(AgencyReport.objects.for_user(user).filter(cycle=cycle).values_list("pk", flat=True))
    rows = []
    for r in reports:
        code, label = r.display_state(now, for_agency=member)
        rows.append(
            CycleRow(
                report=r,
                code=code,
                label=label,
                visible=r.pk in visible,
                entries=r.n_entries,
                entries_with_status=r.n_status,
            )
        )
    rows.sort(key=lambda row: vi_sort_key(row.report.agency.name))
    return rows


def cycle_summary(rows: list[CycleRow]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.code] += 1
    counts["total"] = len(rows)
    return dict(counts)


def cycle_status_data(*, cycle: ReportingCycle, now: datetime.datetime | None = None) -> dict:
    """The status summary printed by ``manage.py cycle_status``."""
    now = now or timezone.now()
    reports = (
        AgencyReport.objects.filter(cycle=cycle)
        .select_related("agency", "cycle")
        .order_by("agency__sort_key")
    )

    def iso(dt):
        return timezone.localtime(dt).isoformat() if dt else None

    agencies = []
    for r in reports:
        code, label = r.display_state(now)
        agencies.append(
            {
                "agency": r.agency.name,
                "state": r.state,
                "display_state": code,
                "label": label,
                "first_submitted_at": iso(r.first_submitted_at),
                "submitted_at": iso(r.submitted_at),
                "accepted_at": iso(r.accepted_at),
                "late": r.is_late,
                "missing": r.is_missing(now),
            }
        )
    return {
        "plan": cycle.plan.code,
        "year": cycle.year,
        "due_date": cycle.due_date.isoformat(),
        "data_as_of": cycle.data_as_of.isoformat(),
        "state": cycle.state,
        "demo": cycle.is_demo,
        "as_of": timezone.localtime(now).isoformat(),
        "agencies": agencies,
    }


def report_history(*, report: AgencyReport, user) -> list[dict]:
    """The history tab: every recorded change of the report and its entries, newest first, with the fields that
    changed (old → new), who made it, when and why.

    The agency's own people see every draft save. Anyone else (coordinators, viewers, administrators) sees only
    the versions the agency sent and the moves after them: each change is the difference between two sent states
    of the report, so draft text overwritten before sending never leaves the agency (as with the report itself,
    ``AgencyReport.objects.for_user``)."""
    users: dict = {}
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    entry_records = list(
        ReportEntry.history.filter(report_id=report.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    codes = dict(report.entries.values_list("pk", "task__code"))
    own = is_member_of(user, report.agency_id)
    if not own:
        records = records[:1] + [
            rec
            for previous, rec in zip(records, records[1:], strict=False)
            if rec.state != previous.state and rec.state in VISIBLE_OUTSIDE_AGENCY
        ]
    items = []
    previous = None
    for rec in records:
        changes = []
        if previous is not None:
            delta = rec.diff_against(previous)
            for change in delta.changes:
                if change.field in ("version", "accepted_submission"):
                    continue
                changes.append(_change(AgencyReport, change, users))
        items.append(
            {
                "when": rec.history_date,
                "who": rec.history_user,
                "why": rec.history_change_reason or "",
                "what": str(report._meta.verbose_name),
                "changes": changes,
            }
        )
        previous = rec
    by_entry: dict[int, list] = defaultdict(list)
    for rec in entry_records:
        by_entry[rec.id].append(rec)
    for entry_id, history in by_entry.items():
        # Each step: (the entry as it then was, the report record that made it visible to this reader).
        steps = [(rec, rec) for rec in history] if own else _entry_at_sent_points(history, records[1:])
        before = history[0]  # creation with the cycle; nothing typed yet
        for state, moment in steps:
            if state is before:
                continue
            delta = state.diff_against(before)
            before = state
            changes = [
                _change(ReportEntry, c, users)
                for c in delta.changes
                if c.field in ("status", "results", "difficulties")
            ]
            if changes:
                items.append(
                    {
                        "when": moment.history_date,
                        "who": moment.history_user,
                        "why": moment.history_change_reason or "",
                        "what": codes.get(entry_id, ""),
                        "changes": changes,
                    }
                )
    items.sort(key=lambda i: i["when"], reverse=True)
    return items


def _entry_at_sent_points(history: list, points: list) -> list[tuple]:
    """For each sent point of the report, the entry's last recorded state at that moment."""
    steps = []
    for point in points:
        current = None
        for rec in history:
            if rec.history_date > point.history_date:
                break
            current = rec
        if current is not None:
            steps.append((current, point))
    return steps


def _change(model, change, users: dict | None = None) -> dict:
    """One changed field in words: choices by label, dates as dd/mm/yyyy, people by name."""
    field = model._meta.get_field(change.field)
    labels = {k: str(v) for k, v in field.flatchoices} if field.choices else {}
    users = {} if users is None else users

    def show(value):
        if value in (None, ""):
            return ""
        if labels:
            return labels.get(value, value)
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        if field.is_relation and field.related_model is get_user_model():
            if value not in users:
                person = get_user_model().objects.filter(pk=value).first()
                users[value] = person.display_name if person else str(value)
            return users[value]
        if isinstance(value, bool):
            return "có" if value else "không"
        return value

    return {
        "field": str(field.verbose_name),
        "code": change.field,
        "old": _short(show(change.old)),
        "new": _short(show(change.new)),
    }


def _short(value, limit: int = 160) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
