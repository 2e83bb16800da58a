"""Reporting's part in an organisation change (registered in plantrack.orgs.services.CHANGE_HOOKS).

A change that takes effect on or before the due date of a cycle still open moves the predecessor's report, if it
has not been sent, to the successor: the whole report when the successor has none, otherwise its entries. Each
moved entry says where it came from ("nhận từ …"). Reports already sent stay with the agency that sent them.
Undo puts everything back while the reports concerned are still unsent.
"""

from plantrack.orgs.models import SuccessionKind

from .models import AgencyReport, CycleState, ReportEntry, ReportState

MOVABLE_STATES = (ReportState.DRAFT,)
MOVING_KINDS = (SuccessionKind.MERGE_INTO, SuccessionKind.MERGE_NEW, SuccessionKind.RENAME)


def _moves(change_or_spec, predecessors, successors):
    """(report, successor) pairs the change would move."""
    if change_or_spec.kind not in MOVING_KINDS or len(successors) != 1:
        return []
    reports = AgencyReport.objects.filter(
        agency__in=predecessors,
        state__in=MOVABLE_STATES,
        cycle__state=CycleState.OPEN,
        cycle__due_date__gte=change_or_spec.effective_date,
    ).select_related("cycle__plan", "agency")
    return [(report, successors[0]) for report in reports]


def preview(spec) -> list[str]:
    successors = list(spec.successors) or ([] if not spec.new_successor_name else [None])
    lines = []
    for report, _successor in _moves(spec, spec.predecessors, successors):
        target = spec.successors[0].name if spec.successors else spec.new_successor_name
        lines.append(
            f"Báo cáo năm {report.cycle.year} ({report.cycle.plan.code}, chưa gửi) của {report.agency.name} "
            f"chuyển cho {target}."
        )
    return lines


def apply(change) -> dict:
    edges = list(change.successions.select_related("predecessor", "successor"))
    predecessors = list({e.predecessor for e in edges})
    successors = list({e.successor for e in edges if e.successor_id})
    effects = {"reassigned": [], "moved_entries": [], "emptied": []}
    for report, successor in _moves(change, predecessors, successors):
        origin = report.agency.name
        target = AgencyReport.objects.filter(cycle=report.cycle, agency=successor).first()
        if target is None:
            effects["reassigned"].append([report.pk, report.agency_id])
            report.agency = successor
            report._change_reason = f"Chuyển cho cơ quan kế thừa ({change})"
            report.save(update_fields=["agency", "updated_at"])
            for entry in report.entries.all():
                effects["moved_entries"].append([entry.pk, report.pk, entry.inherited_from])
                entry.inherited_from = _join(entry.inherited_from, origin)
                entry.save(update_fields=["inherited_from"])
            continue
        existing = set(target.entries.values_list("task_id", flat=True))
        for entry in report.entries.exclude(task_id__in=existing):
            effects["moved_entries"].append([entry.pk, report.pk, entry.inherited_from])
            entry.report = target
            entry.inherited_from = _join(entry.inherited_from, origin)
            entry.save(update_fields=["report", "inherited_from"])
        # Tasks the successor already reports on: an untouched duplicate entry of the old body is dropped.
        for entry in report.entries.filter(task_id__in=existing, status="", results="", difficulties=""):
            effects.setdefault("dropped_entries", []).append(
                [report.pk, entry.task_id, entry.role, entry.order]
            )
            entry.delete()
        has_text = any(getattr(report, f) for f in AgencyReport.SECTION_FIELDS)
        if not report.entries.exists() and not has_text:
            # Nothing of the predecessor's is left to report: it is no longer expected.
            effects["emptied"].append(
                [
                    report.pk,
                    report.cycle_id,
                    report.agency_id,
                    report.data_as_of and report.data_as_of.isoformat(),
                ]
            )
            report.delete()
    return effects


def blockers(change) -> list[str]:
    effects = (change.effects or {}).get("hooks", {}).get(__name__) or {}
    entry_ids = [row[0] for row in effects.get("moved_entries", [])]
    report_ids = {row[0] for row in effects.get("reassigned", [])}
    report_ids |= set(ReportEntry.objects.filter(pk__in=entry_ids).values_list("report_id", flat=True))
    sent = (
        AgencyReport.objects.filter(pk__in=report_ids)
        .exclude(state__in=MOVABLE_STATES)
        .select_related("agency")
    )
    return [f"Báo cáo của {r.agency.name} đã được gửi sau thay đổi này." for r in sent]


def undo(change, effects) -> None:
    if not effects:
        return
    recreated = {}
    for old_pk, cycle_id, agency_id, data_as_of in effects.get("emptied", []):
        recreated[old_pk] = AgencyReport.objects.create(
            cycle_id=cycle_id, agency_id=agency_id, data_as_of=data_as_of
        ).pk
    for report_id, task_id, role, order in effects.get("dropped_entries", []):
        ReportEntry.objects.create(
            report_id=recreated.get(report_id, report_id), task_id=task_id, role=role, order=order
        )
    for entry_id, report_id, inherited_from in effects.get("moved_entries", []):
        ReportEntry.objects.filter(pk=entry_id).update(
            report_id=recreated.get(report_id, report_id), inherited_from=inherited_from
        )
    for report_id, agency_id in effects.get("reassigned", []):
        report = AgencyReport.objects.get(pk=report_id)
        report.agency_id = agency_id
        report._change_reason = f"Hoàn tác thay đổi tổ chức ({change})"
        report.save(update_fields=["agency", "updated_at"])


def _join(existing: str, origin: str) -> str:
    names = [n for n in existing.split("; ") if n]
    return "; ".join([*names, origin] if origin not in names else names)
