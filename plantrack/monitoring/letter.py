"""The urging letter as a Decree 30 DOCX, written through the shared official-format base
(``plantrack.documents.official``): this module only says what goes where, never how it is formatted.

Addressees: up to five agencies are named under "Kính gửi"; more, and "Kính gửi" names their class ("Các cơ quan,
đơn vị (theo danh sách kèm theo)") with the list in the letter's appendix, headed "(Kèm theo Công văn số …)". An
agency whose report has been accepted by the time the letter is exported is never named, wherever it was typed.
"""

from plantrack.core.i18n import in_office_language
from plantrack.documents.official import OfficialDocument, OfficialHeader, vn_date_text
from plantrack.reporting.models import AgencyReport, ReportState

from .models import ADDRESSEE_CLASS, UrgingLetter
from .services import LIST_IN_APPENDIX_OVER

REASONS = {
    "missing": "Chưa gửi báo cáo",
    "returned": "Báo cáo bị trả lại, chưa gửi bản đã chỉnh sửa",
    "late": "Đã gửi báo cáo chậm so với thời hạn, đang xem xét",
}


def _accepted_names(letter: UrgingLetter) -> set[str]:
    return set(
        AgencyReport.objects.filter(cycle=letter.cycle, state=ReportState.ACCEPTED).values_list(
            "agency__name", flat=True
        )
    )


def letter_recipients(letter: UrgingLetter) -> tuple[list[str], list[tuple[str, str]]]:
    """``(Kính gửi lines, appendix rows (name, state in words))``; the appendix is empty when "Kính gửi" names
    every agency itself."""
    accepted = _accepted_names(letter)
    class_line = str(ADDRESSEE_CLASS)
    reasons = {a["name"]: REASONS.get(a.get("reason", ""), "") for a in letter.listed_agencies or []}
    names = [n for n in letter.addressee_list() if n not in accepted]
    if any("kèm theo" in n.lower() for n in names):
        # The class line as prepared: the list is the agencies the letter was prepared for.
        listed = [a["name"] for a in letter.listed_agencies or [] if a["name"] not in accepted]
        others = [n for n in names if "kèm theo" not in n.lower()]
        return [class_line, *others], [(n, reasons.get(n, "")) for n in listed]
    if len(names) > LIST_IN_APPENDIX_OVER:
        return [class_line], [(n, reasons.get(n, "")) for n in names]
    return names, []


@in_office_language
def urging_letter_docx(letter: UrgingLetter) -> bytes:
    """The letter as it stands, with every printed field taken from ``letter`` (which took them from data)."""
    number_text = f"{letter.number.strip()}/{letter.symbol.strip()}"
    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body=letter.parent_body,
            issuing_body=letter.issuing_body,
            number_text=number_text,
            place=letter.place,
            date=letter.letter_date,
            subject_line=letter.subject,
        ),
        author=letter.issuing_body,
    )
    addressees, appendix = letter_recipients(letter)
    doc.addressees(addressees)
    for paragraph in letter.paragraphs():
        doc.paragraph(paragraph)
    doc.recipients(letter.recipient_lines())
    doc.signature(
        authority_prefix=letter.signer_authority, title=letter.signer_title, name=letter.signer_name
    )
    if appendix:
        number = letter.number.strip() or "\u00a0" * 6
        note = (
            f"(Kèm theo Công văn số {number}/{letter.symbol.strip()} {vn_date_text(letter.letter_date)} "
            f"của {letter.issuing_body})"
        )
        doc.appendix(
            "Phụ lục",
            f"Danh sách các cơ quan, đơn vị được đôn đốc báo cáo năm {letter.cycle.year}",
            note,
            landscape=False,
        )
        doc.table(
            ["TT", "Cơ quan, đơn vị", "Tình trạng báo cáo"],
            [[str(i), name, reason or "—"] for i, (name, reason) in enumerate(appendix, start=1)],
            widths_mm=[12, 100, 53],
            align=["center", "left", "left"],
        )
    return doc.to_bytes()


def urging_letter_filename(letter: UrgingLetter) -> str:
    cycle = letter.cycle
    code = cycle.plan.code.replace("/", "-")
    return f"cong-van-don-doc-{code}-{cycle.year}-lan-{letter.sequence}.docx"
