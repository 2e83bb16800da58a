"""Structured facts of report entries (documents issued, events held, funding) and the agencies' proposals.

- **Inputs** (:class:`EntryFacts`, :class:`ProposalIn`) are what a form, the Excel sheet or the API hands to
  ``services.report_save_draft``; :func:`facts_problems` and :func:`proposal_problems` are the business rules, in
  Vietnamese, checked by the service before anything is written.
- **Snapshots**: :func:`entry_facts_snapshot` / :func:`proposals_snapshot` freeze them into a submission.
- **Totals** (:func:`cycle_facts_totals`): per task group and per plan, from the accepted submissions only (the
  consolidated report's rule), in a constant number of queries; :func:`totals_sentence` says them in words
  ("ban hành 37 văn bản; tổ chức 52 hội nghị, lớp tập huấn với 4.300 lượt người; kinh phí 12,4 tỷ đồng").
- **Routing of proposals** (:func:`proposal_groups`): only proposals to higher bodies that the department chose
  (``include``) reach section V of the consolidated report, grouped by addressee.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from plantrack.core.text import vi_sort_key
from plantrack.plans.models import Task

from .models import (
    HIGHER_ADDRESSEES,
    Addressee,
    AgencyReport,
    EventKind,
    ReportEntry,
    ReportingCycle,
    ReportProposal,
    ReportState,
)

MAX_ROWS_PER_ENTRY = 200
MAX_PROPOSALS = 100
MAX_MONEY = Decimal("999999999999")  # triệu đồng: the column's 15 digits with 3 decimals
EARLIEST_YEAR = 2000


# --- inputs -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentIn:
    number_symbol: str
    issued_on: datetime.date | None
    subject: str


@dataclass(frozen=True)
class EventIn:
    kind: str
    count: int
    participants: int = 0
    note: str = ""


@dataclass(frozen=True)
class FundingIn:
    year: int
    provincial: Decimal = Decimal(0)
    central: Decimal = Decimal(0)
    other: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    note: str = ""


@dataclass(frozen=True)
class EntryFacts:
    """Everything an entry's facts are to become: each list replaces the entry's rows of that kind."""

    documents: tuple[DocumentIn, ...] = ()
    events: tuple[EventIn, ...] = ()
    funding: tuple[FundingIn, ...] = ()


@dataclass(frozen=True)
class ProposalIn:
    """A proposal as the agency writes it; ``id`` names an existing proposal of the report (kept, with the
    department's decisions), ``None`` a new one."""

    addressee: str
    text: str
    addressee_name: str = ""
    addressee_agency_id: int | None = None
    id: int | None = None


def money(value) -> Decimal:
    """A non-empty amount as a Decimal ("1.250,5" and "1250.5" both read as 1250.5); raises ``ValueError``."""
    if isinstance(value, Decimal):
        return value
    if value in (None, ""):
        return Decimal(0)
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if "," in text:  # Vietnamese: "." groups thousands, "," marks decimals
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc


# --- rules --------------------------------------------------------------------------------------------------------


def facts_problems(
    facts: Mapping[int, EntryFacts], *, cycle: ReportingCycle, codes: Mapping[int, str], today: datetime.date
) -> list[str]:
    """Every reason ``facts`` (by entry id) cannot be saved for a report of ``cycle``. Dates and years may not lie
    after the cycle's data window nor after ``today``; counts and amounts are never negative."""
    problems: list[str] = []
    last_day = min(cycle.period_end, today)
    for entry_id, item in facts.items():
        where = _("Nhiệm vụ %(code)s") % {"code": codes.get(entry_id, entry_id)}
        if max(len(item.documents), len(item.events), len(item.funding)) > MAX_ROWS_PER_ENTRY:
            problems.append(where + ": " + _("quá %(n)s dòng.") % {"n": MAX_ROWS_PER_ENTRY})
            continue
        for doc in item.documents:
            if not doc.number_symbol.strip() or not doc.subject.strip():
                problems.append(where + ": " + _("văn bản cần có số, ký hiệu và trích yếu."))
            elif len(doc.number_symbol) > 100 or len(doc.subject) > 1000:
                problems.append(where + ": " + _("số, ký hiệu hoặc trích yếu văn bản quá dài."))
            if doc.issued_on is None:
                problems.append(
                    where + ": " + _("văn bản %(n)s chưa có ngày ban hành.") % {"n": doc.number_symbol}
                )
            elif doc.issued_on > last_day or doc.issued_on.year < EARLIEST_YEAR:
                problems.append(
                    where
                    + ": "
                    + _("ngày ban hành của văn bản %(n)s (%(d)s) phải trước hoặc bằng %(last)s.")
                    % {
                        "n": doc.number_symbol,
                        "d": doc.issued_on.strftime("%d/%m/%Y"),
                        "last": last_day.strftime("%d/%m/%Y"),
                    }
                )
        for event in item.events:
            if event.kind not in EventKind.values:
                problems.append(where + ": " + _("loại hội nghị, sự kiện không hợp lệ."))
            if event.count < 1:
                problems.append(where + ": " + _("số hội nghị, lớp tập huấn phải từ 1 trở lên."))
            if event.participants < 0:
                problems.append(where + ": " + _("số lượt người tham dự không được âm."))
        years = [f.year for f in item.funding]
        if len(years) != len(set(years)):
            problems.append(where + ": " + _("mỗi năm chỉ ghi kinh phí một dòng."))
        for fund in item.funding:
            if not EARLIEST_YEAR <= fund.year <= min(cycle.year, today.year):
                problems.append(
                    where
                    + ": "
                    + _("năm kinh phí %(y)s không hợp lệ (từ %(a)s đến %(b)s).")
                    % {"y": fund.year, "a": EARLIEST_YEAR, "b": min(cycle.year, today.year)}
                )
            amounts = (fund.provincial, fund.central, fund.other, fund.spent)
            if any(a < 0 for a in amounts):
                problems.append(where + ": " + _("kinh phí năm %(y)s không được âm.") % {"y": fund.year})
            elif any(a > MAX_MONEY for a in amounts):
                problems.append(where + ": " + _("kinh phí năm %(y)s quá lớn.") % {"y": fund.year})
    return problems


def proposal_normalized(item: ProposalIn, *, report: AgencyReport) -> ProposalIn:
    """An agency of the registry that is in fact the department in charge, or the plan's issuer, is addressed as
    such: the department answers the first, the report forwards to the second."""
    plan = report.cycle.plan
    if item.addressee == Addressee.AGENCY and item.addressee_agency_id:
        if item.addressee_agency_id == plan.coordinator_agency_id:
            return ProposalIn(Addressee.DEPARTMENT, item.text, id=item.id)
        if item.addressee_agency_id == plan.issuer_id:
            return ProposalIn(Addressee.PROVINCE, item.text, id=item.id)
    if item.addressee != Addressee.MINISTRY:
        item = ProposalIn(
            item.addressee,
            item.text,
            addressee_agency_id=item.addressee_agency_id if item.addressee == Addressee.AGENCY else None,
            id=item.id,
        )
    return item


def proposal_problems(
    items: Iterable[ProposalIn], *, report: AgencyReport, known_agencies: set[int]
) -> list[str]:
    problems: list[str] = []
    items = list(items)
    if len(items) > MAX_PROPOSALS:
        return [_("Quá %(n)s kiến nghị.") % {"n": MAX_PROPOSALS}]
    for n, item in enumerate(items, start=1):
        where = _("Kiến nghị %(n)s") % {"n": n}
        if not item.text.strip():
            problems.append(where + ": " + _("chưa có nội dung."))
        elif len(item.text) > 5000:
            problems.append(where + ": " + _("nội dung quá dài."))
        if item.addressee not in Addressee.values:
            problems.append(where + ": " + _("nơi nhận kiến nghị không hợp lệ."))
        elif item.addressee == Addressee.MINISTRY and not item.addressee_name.strip():
            problems.append(where + ": " + _("cần ghi tên Bộ, ngành nhận kiến nghị."))
        elif item.addressee == Addressee.AGENCY:
            if item.addressee_agency_id not in known_agencies:
                problems.append(where + ": " + _("cần chọn cơ quan, đơn vị nhận kiến nghị."))
            elif item.addressee_agency_id == report.agency_id:
                problems.append(where + ": " + _("không kiến nghị chính đơn vị mình."))
    return problems


# --- snapshots ------------------------------------------------------------------------------------------------------


def _amount(value: Decimal) -> str:
    """ "800", "12.5": plain digits, never "8E+2"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def entry_facts_snapshot(entry: ReportEntry) -> dict:
    """The facts of ``entry`` as plain JSON (amounts as strings, exact). Uses the prefetched relations."""
    return {
        "documents": [
            {"number_symbol": d.number_symbol, "issued_on": d.issued_on.isoformat(), "subject": d.subject}
            for d in entry.documents.all()
        ],
        "events": [
            {"kind": e.kind, "count": e.count, "participants": e.participants, "note": e.note}
            for e in entry.events.all()
        ],
        "funding": [
            {
                "year": f.year,
                "provincial": _amount(f.provincial),
                "central": _amount(f.central),
                "other": _amount(f.other),
                "spent": _amount(f.spent),
                "note": f.note,
            }
            for f in entry.funding.all()
        ],
    }


def proposals_snapshot(report: AgencyReport) -> list[dict]:
    items = report.proposal_items.select_related("addressee_agency").order_by("order", "pk")
    return [
        {
            "id": p.pk,
            "addressee": p.addressee,
            "addressee_name": p.addressee_name,
            "addressee_agency": p.addressee_agency_id,
            "addressee_label": p.addressee_label,
            "text": p.text,
        }
        for p in items
    ]


# --- totals -------------------------------------------------------------------------------------------------------


@dataclass
class FactTotals:
    documents: int = 0
    events: int = 0
    participants: int = 0
    provincial: Decimal = Decimal(0)
    central: Decimal = Decimal(0)
    other: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def allocated(self) -> Decimal:
        return self.provincial + self.central + self.other

    @property
    def is_empty(self) -> bool:
        return not (self.documents or self.events or self.allocated or self.spent)

    def add_entry(self, facts: Mapping, *, year: int) -> None:
        self.documents += len(facts.get("documents") or [])
        for event in facts.get("events") or []:
            self.events += int(event.get("count") or 0)
            self.participants += int(event.get("participants") or 0)
        for fund in facts.get("funding") or []:
            if fund.get("year") != year:
                continue  # the report speaks of its own year; other years belong to their cycles
            self.provincial += Decimal(fund.get("provincial") or 0)
            self.central += Decimal(fund.get("central") or 0)
            self.other += Decimal(fund.get("other") or 0)
            self.spent += Decimal(fund.get("spent") or 0)


@dataclass
class CycleFactTotals:
    plan: FactTotals
    groups: dict[int, FactTotals] = field(default_factory=dict)  # task group id -> totals

    def for_group(self, group_id: int) -> FactTotals:
        return self.groups.get(group_id) or FactTotals()


def facts_totals_from_snapshots(
    snapshots: Iterable[Mapping], *, task_groups: Mapping[int, int], year: int
) -> CycleFactTotals:
    """Totals of the snapshots' entries by task group (``task_groups``: task id -> group id) and for the plan."""
    result = CycleFactTotals(plan=FactTotals())
    for snapshot in snapshots:
        for entry in snapshot.get("entries") or []:
            facts = entry.get("facts")
            group_id = task_groups.get(entry.get("task_id"))
            if not facts or group_id is None:
                continue
            result.plan.add_entry(facts, year=year)
            result.groups.setdefault(group_id, FactTotals()).add_entry(facts, year=year)
    return result


def accepted_snapshots(*, cycle: ReportingCycle) -> list[dict]:
    reports = AgencyReport.objects.filter(
        cycle=cycle, state=ReportState.ACCEPTED, accepted_submission__isnull=False
    ).select_related("accepted_submission")
    return [r.accepted_submission.snapshot or {} for r in reports]


def cycle_facts_totals(*, cycle: ReportingCycle, snapshots: list[dict] | None = None) -> CycleFactTotals:
    """Documents, events and funding of ``cycle``'s year per task group and plan, from accepted submissions only.
    Two queries (one when the caller already holds the snapshots)."""
    if snapshots is None:
        snapshots = accepted_snapshots(cycle=cycle)
    task_groups = dict(Task.objects.filter(plan_id=cycle.plan_id).values_list("pk", "group_id"))
    return facts_totals_from_snapshots(snapshots, task_groups=task_groups, year=cycle.year)


def vn_number(value, places: int = 0) -> str:
    """``4300`` → "4.300", ``12.4`` → "12,4" (Vietnamese separators); trailing decimal zeros are dropped."""
    text = f"{Decimal(value):,.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def money_text(millions: Decimal) -> str:
    """An amount in millions of đồng in words: "12,4 tỷ đồng", "850 triệu đồng"."""
    if millions >= 1000:
        return f"{vn_number(millions / 1000, 1)} tỷ đồng"
    return f"{vn_number(millions, 1)} triệu đồng"


def totals_sentence(totals: FactTotals) -> str:
    """ "ban hành 37 văn bản; tổ chức 52 hội nghị, lớp tập huấn với 4.300 lượt người; kinh phí 12,4 tỷ đồng (đã giải
    ngân 9,8 tỷ đồng)"; only the parts that have figures, "" when none has."""
    parts = []
    if totals.documents:
        parts.append(f"ban hành {vn_number(totals.documents)} văn bản")
    if totals.events:
        text = f"tổ chức {vn_number(totals.events)} hội nghị, hội thảo, lớp tập huấn"
        if totals.participants:
            text += f" với {vn_number(totals.participants)} lượt người tham dự"
        parts.append(text)
    if totals.allocated or totals.spent:
        text = f"kinh phí {money_text(totals.allocated)}"
        if totals.spent:
            text += f" (đã giải ngân {money_text(totals.spent)})"
        parts.append(text)
    return "; ".join(parts)


def funding_sources_text(totals: FactTotals) -> str:
    """ "ngân sách tỉnh 8 tỷ đồng, ngân sách trung ương 3 tỷ đồng, xã hội hóa và nguồn khác 1,4 tỷ đồng"."""
    parts = [
        (totals.provincial, "ngân sách tỉnh"),
        (totals.central, "ngân sách trung ương"),
        (totals.other, "xã hội hóa và nguồn khác"),
    ]
    return ", ".join(f"{label} {money_text(amount)}" for amount, label in parts if amount)


# --- routing of proposals -------------------------------------------------------------------------------------------


@dataclass
class ProposalGroup:
    """The proposals of section V to one addressee: "Kiến nghị Ủy ban nhân dân tỉnh"."""

    addressee: str
    name: str
    items: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)  # who proposed, for the build manifest

    @property
    def heading(self) -> str:
        return f"Kiến nghị {self.name}"


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" -+•;")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def proposal_groups(
    *, snapshots: Iterable[Mapping], sources_names: Iterable[str], included_ids: set[int]
) -> list[ProposalGroup]:
    """Section V: the accepted snapshots' proposals to higher bodies that the department included, grouped by
    addressee (the UBND tỉnh first, then each Bộ, ngành by name), identical texts written once. Proposals to the
    department itself, to another agency or to nobody in particular never appear here."""
    groups: dict[tuple[str, str], ProposalGroup] = {}
    for snapshot, agency_name in zip(snapshots, sources_names, strict=True):
        for item in snapshot.get("proposals") or []:
            if item.get("addressee") not in HIGHER_ADDRESSEES or item.get("id") not in included_ids:
                continue
            if item["addressee"] == Addressee.PROVINCE:
                key, name = (Addressee.PROVINCE, ""), str(Addressee.PROVINCE.label)
            else:
                name = " ".join((item.get("addressee_name") or "").split())
                key = (Addressee.MINISTRY, name.lower())
            group = groups.setdefault(key, ProposalGroup(addressee=key[0], name=name))
            sentence = _sentence(item.get("text") or "")
            if sentence and sentence.lower() not in {s.lower() for s in group.items}:
                group.items.append(sentence)
            if agency_name not in group.agencies:
                group.agencies.append(agency_name)
    return sorted(groups.values(), key=lambda g: (g.addressee != Addressee.PROVINCE, vi_sort_key(g.name)))


def cycle_proposal_groups(
    *, cycle: ReportingCycle, snapshots: list[dict], agency_names: list[str]
) -> list[ProposalGroup]:
    """:func:`proposal_groups` with the department's ``include`` choices read from the live rows (one query)."""
    included = set(
        ReportProposal.objects.filter(report__cycle=cycle, include=True).values_list("pk", flat=True)
    )
    return proposal_groups(snapshots=snapshots, sources_names=agency_names, included_ids=included)


def entry_facts_summary(entry: ReportEntry) -> FactTotals:
    """The totals of one live entry (for its card): uses the prefetched relations."""
    totals = FactTotals()
    totals.add_entry(entry_facts_snapshot(entry), year=entry.report.cycle.year)
    return totals
