"""The escalation to the UBND tỉnh as a Decree 30 letter, through the shared official-format base: the body, then
the list of agencies with how many times each was reminded and urged."""

from plantrack.core.i18n import in_office_language
from plantrack.documents.official import OfficialDocument, OfficialHeader

from .models import EscalationRecord


@in_office_language
def escalation_docx(record: EscalationRecord) -> bytes:
    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body=record.parent_body,
            issuing_body=record.issuing_body,
            number_text=f"{record.number.strip()}/{record.symbol.strip()}",
            place=record.place,
            date=record.decision_date,
            subject_line=record.subject,
        ),
        author=record.issuing_body,
    )
    doc.addressees([record.addressee])
    paragraphs = record.paragraphs()
    doc.paragraph(paragraphs[0])
    doc.paragraph("Danh sách cơ quan, đơn vị chậm, chưa báo cáo:", bold=True)
    doc.table(
        ["TT", "Cơ quan, đơn vị", "Tình trạng báo cáo", "Số lần nhắc hạn", "Số lần đôn đốc bằng công văn"],
        [
            [str(i), row["name"], row["state_label"] or "—", str(row["reminders"]), str(row["letters"])]
            for i, row in enumerate(record.listed, start=1)
        ],
        widths_mm=[10, 65, 45, 20, 25],
        align=["center", "left", "left", "center", "center"],
        font_size=12,
    )
    for paragraph in paragraphs[1:]:
        doc.paragraph(paragraph)
    doc.recipients(record.recipient_lines())
    doc.signature(
        authority_prefix=record.signer_authority, title=record.signer_title, name=record.signer_name
    )
    return doc.to_bytes()


def escalation_filename(record: EscalationRecord) -> str:
    cycle = record.cycle
    return f"bao-cao-don-vi-cham-{cycle.plan.code.replace('/', '-')}-{cycle.year}-{record.pk}.docx"
