"""The words of the consolidated report that people write (or accept as suggested), kept apart from the figures.

:class:`Narrative` is what ``docx.py`` needs besides the :class:`~.compile.Compilation`. The app stores it in
``consolidation.ConsolidatedReport``; :func:`default_narrative` gives the first draft: sentences built from the
plan's data, and an extractive synthesis of the accepted reports' contributions (``composer.py``): grouped by theme,
deduplicated, attributed by a count of agencies, never a paste followed by lists of names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from plantrack.accounts.models import Role
from plantrack.accounts.permissions import role_holders
from plantrack.documents.official import archive_line

from .compile import Compilation, fmt_date
from .composer import compose, draft_text

AUTHORITY_PREFIXES = ("", "KT.", "TM.", "TL.", "TUQ.", "Q.")

# The usual title of an agency's head by kind of agency: only a default the coordinator can change.
HEAD_TITLES = {
    "department": "GIÁM ĐỐC",
    "provincial_committee": "CHỦ TỊCH",
    "district_committee": "CHỦ TỊCH",
    "commune_committee": "CHỦ TỊCH",
    "university": "HIỆU TRƯỞNG",
}
DEPUTY_TITLES = {
    "department": "PHÓ GIÁM ĐỐC",
    "provincial_committee": "PHÓ CHỦ TỊCH",
    "district_committee": "PHÓ CHỦ TỊCH",
    "commune_committee": "PHÓ CHỦ TỊCH",
    "university": "PHÓ HIỆU TRƯỞNG",
}


@dataclass
class Narrative:
    number: str = ""  # blank until the records office registers the document
    symbol: str = "BC"
    date: datetime.date | None = None
    title: str = ""
    opening: str = ""
    leadership: str = ""
    strengths: str = ""
    shortcomings: str = ""
    directions: str = ""
    proposals: str = ""
    closing: str = ""
    authority_prefix: str = ""
    authority_title: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    include_charts: bool = True

    @property
    def number_text(self) -> str:
        """``12/BC-SKHCN`` or ``/BC-SKHCN`` when not yet numbered."""
        return f"{self.number.strip()}/{self.symbol.strip()}"

    @property
    def authority_line(self) -> str:
        """``KT. GIÁM ĐỐC``; empty when the head signs in his or her own right."""
        prefix = self.authority_prefix.strip()
        if not prefix:
            return ""
        return f"{prefix} {self.authority_title.strip().upper()}".strip()


def default_symbol(agency) -> str:
    """``BC-SKHCN`` from the agency's first abbreviation written in capitals without spaces."""
    for abbreviation in agency.abbreviation_list():
        if abbreviation.replace("&", "").isalnum() and abbreviation.upper() == abbreviation:
            return f"BC-{abbreviation}"
    return "BC"


def drafting_unit(agency) -> str:
    """The drafting unit's abbreviation for "Lưu: VT, <unit>." and a letter's symbol: the one set on the profiles of
    the department's coordinators ("QLKH"); "" when none is set, or when they disagree (the coordinator then types
    it)."""
    codes = set(
        role_holders(Role.COORDINATOR, agency).exclude(office_code="").values_list("office_code", flat=True)
    )
    return codes.pop().strip() if len(codes) == 1 else ""


def default_narrative(compilation: Compilation, *, coordinator_agency) -> Narrative:
    """A first draft from data. Nothing about places or bodies is written here that does not come from the plan."""
    plan = compilation.plan
    year = compilation.year
    issued = fmt_date(plan.issued_on)
    code = plan.code
    composers = compose(compilation)
    coordinator = compilation.coordinator_name
    recipients = [f"{compilation.issuer_short} (để báo cáo)"]
    for recipient in plan.recipients.all():
        text = recipient.text.strip()
        if "(báo cáo)" in text:
            line = text.replace("(báo cáo)", "(để báo cáo)")
            if line not in recipients:
                recipients.append(line)
    recipients.append(archive_line(drafting_unit(coordinator_agency)))
    kind = coordinator_agency.kind
    leadership = (
        f"Thực hiện Kế hoạch số {code} ngày {issued} của {compilation.issuer_name}, {coordinator} đã hướng dẫn các "
        f"cơ quan, đơn vị báo cáo kết quả thực hiện năm {year} (hạn báo cáo {fmt_date(compilation.cycle.due_date)}), "
        "theo dõi, đôn đốc việc báo cáo và tổng hợp kết quả."
    )
    contributed = draft_text(composers["leadership"], limit=6)
    if contributed:
        leadership += "\nTheo báo cáo của các cơ quan, đơn vị:\n" + contributed
    return Narrative(
        symbol=default_symbol(coordinator_agency),
        date=None,
        title=f"Kết quả thực hiện Kế hoạch số {code} ngày {issued} của {compilation.issuer_name} năm {year}",
        opening=(
            f"Thực hiện Kế hoạch số {code} ngày {issued} của {compilation.issuer_name} (sau đây gọi là Kế hoạch), "
            f"trên cơ sở báo cáo của các cơ quan, đơn vị, {coordinator} báo cáo kết quả thực hiện năm {year} như sau:"
        ),
        leadership=leadership,
        strengths=draft_text(composers["strengths"]),
        shortcomings=draft_text(composers["shortcomings"]),
        directions=draft_text(composers["directions"]),
        proposals=draft_text(composers["proposals"]),
        closing=f"Trên đây là báo cáo kết quả thực hiện Kế hoạch số {code} năm {year}, {coordinator} kính báo cáo "
        f"{compilation.issuer_name} xem xét, chỉ đạo.",
        authority_prefix="KT.",
        authority_title=HEAD_TITLES.get(kind, "THỦ TRƯỞNG"),
        signer_title=DEPUTY_TITLES.get(kind, "PHÓ THỦ TRƯỞNG"),
        signer_name="",
        recipients=recipients,
    )
