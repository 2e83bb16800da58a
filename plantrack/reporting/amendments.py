"""What a plan amendment does to the open reporting cycles — the hook ``plans.amendments`` calls (registered in
``apps.py``). Design: docs/design/plan-amendments.md.

In every open periodic cycle of the plan, for the tasks the amendment added, reassigned or cancelled, the expected
entries are recomputed with the same rule as opening a cycle (``PlanResponsibility`` on the cycle's due date):

- an agency now owing a task gets an entry, and a report first if it had none in the cycle;
- an entry no longer owed (task cancelled, agency taken off it) is closed with a note ("Đã hủy theo Kế hoạch số
  …"), never deleted: what the agency wrote stays;
- every existing entry of a task whose text changed keeps the text it was opened with (``ReportEntry.task_text``):
  a report answers to the version in force when its cycle opened.

Only cycles due on or after the amendment's effective date are reached, and in them only reports the agency can
still edit (a report sent or accepted stays exactly as sent). Ad hoc cycles keep the scope their request fixed. ``apply`` returns the ids it touched; ``undo`` takes exactly
those back, and ``blockers`` says what stops it (a report or entry it added has since been written in).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from plantrack.core.versions import bump, cycle_key, plan_key, plan_reports_key
from plantrack.plans.models import AssignmentRole, Task
from plantrack.plans.responsibility import PlanResponsibility

from .models import (
    HEAD_EDITABLE_STATES,
    AgencyReport,
    CyclePeriod,
    CycleState,
    ReportEntry,
    ReportingCycle,
    ReportState,
)

KEY = "reporting"


def _open_cycles(amendment) -> list[ReportingCycle]:
    """The open periodic cycles the amendment reaches: those due on or after its effective date (a cycle due
    before answers for a period the amendment does not govern)."""
    return list(
        ReportingCycle.objects.filter(
            plan=amendment.plan, state=CycleState.OPEN, due_date__gte=amendment.effective_on
        )
        .exclude(period_type=CyclePeriod.AD_HOC)
        .order_by("due_date", "pk")
    )


def apply(*, amendment, touched) -> dict:
    """Add and close entries of the open cycles for the tasks ``touched``; keep the old texts. Returns the ids."""
    effects = {
        "tasks_added": sorted(touched.added),
        "reports_added": [],
        "entries_added": [],
        "entries_closed": [],
        "texts_kept": [],
    }
    for task_id, old_text in touched.old_texts.items():
        kept = list(ReportEntry.objects.filter(task_id=task_id, task_text="").values_list("pk", flat=True))
        ReportEntry.objects.filter(pk__in=kept).update(task_text=old_text)
        effects["texts_kept"] += kept
    task_ids = touched.task_ids
    if not task_ids:
        return effects
    tasks = Task.objects.in_bulk(list(task_ids))
    cancelled_note = _("Đã hủy theo %(a)s") % {"a": amendment.label}
    removed_note = _("Không còn được giao theo %(a)s") % {"a": amendment.label}
    for cycle in _open_cycles(amendment):
        owed = PlanResponsibility(plan=amendment.plan, day=cycle.due_date).owed()
        expected = {
            (agency_id, task_id): o
            for agency_id, per in owed.items()
            for task_id, o in per.items()
            if task_id in task_ids
        }
        existing = {
            (e.report.agency_id, e.task_id): e
            for e in ReportEntry.objects.filter(report__cycle=cycle, task_id__in=task_ids).select_related(
                "report"
            )
        }
        reports = {r.agency_id: r for r in AgencyReport.objects.filter(cycle=cycle)}
        # A report already sent (or accepted) answered to the plan as it stood: it is left exactly as sent.
        frozen = {agency_id for agency_id, r in reports.items() if r.state not in HEAD_EDITABLE_STATES}
        for (agency_id, task_id), o in sorted(expected.items()):
            if (agency_id, task_id) in existing or agency_id in frozen:
                continue
            report = reports.get(agency_id)
            if report is None:
                report = AgencyReport(cycle=cycle, agency_id=agency_id, data_as_of=cycle.data_as_of)
                report._change_reason = _("Bổ sung theo %(a)s") % {"a": amendment.label}
                report.save()
                reports[agency_id] = report
                effects["reports_added"].append(report.pk)
            entry = ReportEntry.objects.create(
                report=report,
                task_id=task_id,
                role=AssignmentRole.LEAD if AssignmentRole.LEAD in o.roles else AssignmentRole.COORDINATE,
                order=tasks[task_id].order,
                inherited_from="; ".join(sorted(o.origins)),
            )
            effects["entries_added"].append(entry.pk)
        for key, entry in existing.items():
            if key in expected or entry.closed_note or key[0] in frozen:
                continue
            note = cancelled_note if entry.task_id in touched.cancelled else removed_note
            ReportEntry.objects.filter(pk=entry.pk).update(closed_note=note[:255])
            effects["entries_closed"].append(entry.pk)
    _cached_views_stale(amendment)
    return effects


def describe(*, effects: dict) -> list[dict]:
    """The effects in words, per cycle: ``[{"cycle": label, "reports_added": [agency], "entries_added": ["agency:
    task code"], "entries_closed": [...]}]`` (read inside the preview's savepoint, before it is rolled back)."""
    by_cycle: dict[int, dict] = {}

    def cycle_row(cycle: ReportingCycle) -> dict:
        return by_cycle.setdefault(
            cycle.pk,
            {"cycle": cycle.label, "reports_added": [], "entries_added": [], "entries_closed": []},
        )

    for r in AgencyReport.objects.filter(pk__in=effects.get("reports_added", [])).select_related(
        "cycle", "agency"
    ):
        cycle_row(r.cycle)["reports_added"].append(r.agency.name)
    for key in ("entries_added", "entries_closed"):
        entries = ReportEntry.objects.filter(pk__in=effects.get(key, [])).select_related(
            "report__cycle", "report__agency", "task"
        )
        for e in entries.order_by("report__agency__name", "task__order"):
            cycle_row(e.report.cycle)[key].append(f"{e.report.agency.name}: {e.task.code}")
    return list(by_cycle.values())


def _entry_written(entries) -> list[ReportEntry]:
    return [
        e
        for e in entries
        if e.status
        or e.results.strip()
        or e.difficulties.strip()
        or e.evidence.exists()
        or e.documents.exists()
        or e.events.exists()
        or e.funding.exists()
    ]


def blockers(*, amendment, effects: dict) -> list[str]:
    """What the reports did since the amendment was applied that undoing would erase."""
    problems = []
    added_reports = AgencyReport.objects.filter(pk__in=effects.get("reports_added", [])).select_related(
        "agency"
    )
    for report in added_reports:
        if report.state != ReportState.DRAFT or report.last_saved_at is not None:
            problems.append(
                _("Báo cáo của %(a)s (bổ sung theo văn bản này) đã được lưu hoặc gửi.")
                % {"a": report.agency.name}
            )
    added = ReportEntry.objects.filter(pk__in=effects.get("entries_added", [])).select_related(
        "report__agency", "task"
    )
    for e in _entry_written(added):
        problems.append(
            _("%(a)s đã nhập nội dung cho nhiệm vụ %(t)s bổ sung theo văn bản này.")
            % {"a": e.report.agency.name, "t": e.task.code}
        )
    later = ReportEntry.objects.filter(task_id__in=effects.get("tasks_added", [])).exclude(
        pk__in=effects.get("entries_added", [])
    )
    if later.exists():
        problems.append(_("Kỳ báo cáo mở sau văn bản này đã giao nhiệm vụ bổ sung cho đơn vị."))
    return problems


def _cached_views_stale(amendment) -> None:
    """Entries are changed with ``update()`` here (no signals): the cached dashboard sections of the plan's cycles
    and its plan-wide views take a new version in this transaction (``core.versions``)."""
    plan_id = amendment.plan_id
    cycle_ids = ReportingCycle.objects.filter(plan_id=plan_id).values_list("pk", flat=True)
    bump(*(cycle_key(pk) for pk in cycle_ids), plan_key(plan_id), plan_reports_key(plan_id))


def undo(*, amendment, effects: dict) -> None:
    """Take back exactly what ``apply`` did (``blockers`` is empty)."""
    _cached_views_stale(amendment)
    ReportEntry.objects.filter(pk__in=effects.get("entries_added", [])).delete()
    AgencyReport.objects.filter(pk__in=effects.get("reports_added", [])).delete()
    ReportEntry.objects.filter(pk__in=effects.get("entries_closed", [])).update(closed_note="")
    ReportEntry.objects.filter(pk__in=effects.get("texts_kept", [])).update(task_text="")
