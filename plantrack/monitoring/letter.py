"""The urging letter as a Decree 30 DOCX, written through the shared official-format base
(``plantrack.documents.official``): this module only says what goes where, never how it is formatted."""

from plantrack.core.i18n import in_office_language
from plantrack.documents.official import OfficialDocument, OfficialHeader

from .models import UrgingLetter


@in_office_language
def urging_letter_docx(letter: UrgingLetter) -> bytes:
    """The letter as it stands, with every printed field taken from ``letter`` (which took them from data)."""
    doc = OfficialDocument(
        header=OfficialHeader(
            parent_body=letter.parent_body,
            issuing_body=letter.issuing_body,
            number_text=f"{letter.number.strip()}/{letter.symbol.strip()}",
            place=letter.place,
            date=letter.letter_date,
            subject_line=letter.subject,
        ),
        author=letter.issuing_body,
    )
    doc.addressees(letter.addressee_list())
    for paragraph in letter.paragraphs():
        doc.paragraph(paragraph)
    doc.recipients(letter.recipient_lines())
    doc.signature(
        authority_prefix=letter.signer_authority, title=letter.signer_title, name=letter.signer_name
    )
    return doc.to_bytes()


def urging_letter_filename(letter: UrgingLetter) -> str:
    cycle = letter.cycle
    code = cycle.plan.code.replace("/", "-")
    return f"cong-van-don-doc-{code}-{cycle.year}-lan-{letter.sequence}.docx"
