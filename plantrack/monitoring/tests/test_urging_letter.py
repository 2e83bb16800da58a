"""The urging letter: defaults from data, edits, and the Decree 30 DOCX opened with python-docx."""

import datetime
import io

import pytest
from docx import Document
from docx.shared import Mm

from plantrack.monitoring.letter import urging_letter_docx
from plantrack.monitoring.models import UrgingLetter
from plantrack.monitoring.services import MonitoringError, urging_letter_prepare, urging_letter_update
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport

from .conftest import at, fill

TODAY = datetime.date(2025, 12, 8)


@pytest.fixture
def overdue(world, cycle, time_machine):
    """On 08/12/2025: A sent on 07/12 (late), B never sent (missing), C sent on time and was accepted; the
    department in charge owes a report too but a letter it sends is never addressed to itself."""
    report_c = fill(world.report(cycle, world.c), world.head_c)
    reporting.report_submit(actor=world.head_c, report=report_c)
    reporting.report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report_c.pk))
    time_machine.move_to(at(7), tick=False)
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    reporting.report_submit(actor=world.head_a, report=report_a)
    time_machine.move_to(at(8), tick=False)
    AgencyReport.objects.create(cycle=cycle, agency=world.dept)
    return cycle


def test_prepare_fills_every_field_from_data(world, overdue):
    parent = AgencyFactory(name="Ủy ban nhân dân tỉnh Thử", kind="provincial_committee")
    world.dept.parent = parent
    world.dept.abbreviations = "SKHCN; Sở KH&CN"
    world.dept.save()
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    assert letter.sequence == 1
    assert (
        letter.parent_body == "UBND TỈNH THỬ"  # Decree 30 allows the abbreviation; the full name wraps
        and letter.issuing_body == "Sở Khoa học và Công nghệ (thử)"
    )
    assert letter.symbol == "SKHCN" and letter.number == "" and letter.number_line == "Số:      /SKHCN"
    assert letter.place == "Đồng Nai" and letter.letter_date == TODAY
    assert letter.subject == "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 99/KH-UBND"
    assert letter.addressee_list() == ["Sở Nội vụ (thử)", "Sở Tài chính (thử)"]
    assert [(a["name"], a["reason"]) for a in letter.listed_agencies] == [
        ("Sở Nội vụ (thử)", "missing"),
        ("Sở Tài chính (thử)", "late"),
    ]
    assert letter.new_deadline == datetime.date(2025, 12, 15)
    body = letter.body
    assert "Kế hoạch số 99/KH-UBND ngày 16/11/2024" in body and "trước ngày 05/12/2025" in body
    assert "về kế hoạch thử nghiệm" in body  # a title in sentence case is quoted
    assert "chưa nhận được báo cáo năm 2025" in body and "của Quý cơ quan, đơn vị." in body
    # The late ones are a remark in the same paragraph as the missing ones, not a sentence standing alone.
    assert (
        "của Quý cơ quan, đơn vị. Ngoài ra, 1 cơ quan, đơn vị đã gửi báo cáo nhưng chậm so với thời hạn quy định."
        in body
    )
    # "Kính gửi" names the agencies; the body does not repeat them.
    assert "Sở Nội vụ (thử)" not in body and "Sở Tài chính (thử)" not in body
    assert "trước ngày 15/12/2025" in body and body.endswith("./.")
    assert "Sở Y tế" not in body and "Sở Khoa học" not in letter.addressees
    assert (letter.signer_authority, letter.signer_title) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    assert letter.recipient_lines()[-1] == "- Lưu: VT."
    assert urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY).sequence == 2


def test_only_the_plans_coordinators_prepare_and_edit(world, overdue):
    for person in (world.other_coordinator, world.head_a, world.viewer, world.admin):
        with pytest.raises(MonitoringError):
            urging_letter_prepare(actor=person, cycle=overdue, today=TODAY)
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    with pytest.raises(MonitoringError):
        urging_letter_update(actor=world.other_coordinator, letter=letter, number="5")


def test_update_checks_and_normalises(world, overdue):
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    with pytest.raises(MonitoringError, match="Kính gửi"):
        urging_letter_update(actor=world.coordinator, letter=letter, addressees="  \n ")
    letter.refresh_from_db()
    with pytest.raises(MonitoringError, match="Hạn mới"):
        urging_letter_update(actor=world.coordinator, letter=letter, new_deadline=datetime.date(2025, 12, 1))
    letter.refresh_from_db()
    with pytest.raises(MonitoringError):
        urging_letter_update(actor=world.coordinator, letter=letter, prepared_by=world.admin)
    letter = urging_letter_update(
        actor=world.coordinator,
        letter=letter,
        symbol="SKHCN-QLKH",
        number="123",
        recipients="Như trên\nUBND tỉnh (để b/c).\n- Lưu: VT",
    )
    assert letter.recipients == "- Như trên;\n- UBND tỉnh (để b/c);\n- Lưu: VT, QLKH."
    assert letter.number_line == "Số: 123/SKHCN-QLKH"
    letter = urging_letter_update(actor=world.coordinator, letter=letter, recipients="- Bộ KH&CN (để b/c)")
    assert letter.recipient_lines() == ["- Bộ KH&CN (để b/c);", "- Lưu: VT, QLKH."]
    assert letter.history.first().history_user == world.coordinator


def test_regenerating_the_body_uses_the_new_deadline_and_the_state_on_the_letter_date(world, overdue):
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    report_b = fill(AgencyReport.objects.get(cycle=overdue, agency=world.b), world.reporter_b)
    reporting.report_submit(actor=world.head_b, report=report_b)
    letter = urging_letter_update(
        actor=world.coordinator,
        letter=letter,
        regenerate_body=True,
        new_deadline=datetime.date(2025, 12, 20),
        body="x",
    )
    assert "trước ngày 20/12/2025" in letter.body and "chưa nhận được" not in letter.body
    assert [a["reason"] for a in letter.listed_agencies] == ["late", "late"]
    assert letter.addressee_list() == ["Sở Nội vụ (thử)", "Sở Tài chính (thử)"]  # as edited, not regenerated


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def test_the_docx_opens_and_says_what_the_letter_says(world, overdue):
    world.dept.parent = AgencyFactory(name="Ủy ban nhân dân tỉnh Thử", kind="provincial_committee")
    world.dept.save()
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    letter = urging_letter_update(
        actor=world.coordinator, letter=letter, symbol="SKHCN-QLKH", signer_name="Nguyễn Văn A"
    )
    doc = Document(io.BytesIO(urging_letter_docx(letter)))

    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert round(section.left_margin / Mm(1)) in range(30, 36) and round(
        section.right_margin / Mm(1)
    ) in range(15, 21)
    header = doc.tables[0]
    left, right = header.rows[0].cells
    lines = _texts(left)
    assert lines[:2] == ["UBND TỈNH THỬ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ (THỬ)"]
    assert lines[2].replace("\u00a0", " ").split() == ["Số:", "/SKHCN-QLKH"]  # the number is left blank
    assert lines[3:] == ["V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 99/KH-UBND"]
    assert _texts(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đồng Nai, ngày 08 tháng 12 năm 2025",
    ]

    body = [p.text for p in doc.paragraphs if p.text.strip()]
    start = body.index("Kính gửi:")
    assert body[start + 1 : start + 3] == ["- Sở Nội vụ (thử);", "- Sở Tài chính (thử)."]
    assert any(t.startswith("Thực hiện Kế hoạch số 99/KH-UBND ngày 16/11/2024") for t in body)
    assert not any(t.startswith("1. ") for t in body)  # the body does not repeat the addressees
    assert body[-1].endswith("./.")

    closing = doc.tables[-1]
    recipients, signature = closing.rows[0].cells
    assert _texts(recipients) == [
        "Nơi nhận:",
        "- Như trên;",
        f"- {overdue.plan.issuer.name} (để báo cáo);",
        "- Lãnh đạo Sở KH&CN;",
        "- Lưu: VT, QLKH.",
    ]
    assert _texts(signature) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]
    label = recipients.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size.pt == 12
    assert recipients.paragraphs[1].runs[0].font.size.pt == 11
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Times New Roman"}


def test_the_docx_download_records_the_export(client, world, overdue):
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    client.force_login(world.coordinator)
    response = client.get(f"/theo-doi/cong-van/{letter.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="cong-van-don-doc-99-KH-UBND-2025-lan-1.docx"' in response["Content-Disposition"]
    Document(io.BytesIO(response.content))
    letter.refresh_from_db()
    assert letter.exported_by == world.coordinator and letter.exported_at is not None


def test_letter_pages_prepare_edit_and_keep_what_was_typed_on_error(client, world, overdue):
    client.force_login(world.coordinator)
    response = client.post(f"/theo-doi/ky/{overdue.pk}/cong-van/moi/")
    letter = UrgingLetter.objects.get(cycle=overdue)
    assert response.status_code == 302 and response["Location"] == f"/theo-doi/cong-van/{letter.pk}/"
    page = client.get(response["Location"])
    assert "Sở Nội vụ (thử)" in page.content.decode()
    data = {
        f: getattr(letter, f)
        for f in (
            "parent_body",
            "issuing_body",
            "number",
            "symbol",
            "place",
            "subject",
            "addressees",
            "body",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
        )
    }
    data.update(letter_date="08/12/2025", new_deadline="01/12/2025", body="Nội dung tôi vừa gõ")
    refused = client.post(f"/theo-doi/cong-van/{letter.pk}/", data)
    assert refused.status_code == 200 and "Nội dung tôi vừa gõ" in refused.content.decode()
    assert "Hạn mới phải sau ngày ban hành" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.body != "Nội dung tôi vừa gõ"
    data.update(new_deadline="18/12/2025")
    assert client.post(f"/theo-doi/cong-van/{letter.pk}/", data).status_code == 302
    letter.refresh_from_db()
    assert (letter.body, letter.new_deadline) == ("Nội dung tôi vừa gõ", datetime.date(2025, 12, 18))


def test_the_letter_is_written_in_vietnamese_even_from_the_english_interface(world, overdue):
    from django.utils import translation

    with translation.override("en"):
        letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    assert letter.subject.startswith("V/v đôn đốc báo cáo")
    assert "Kế hoạch" in letter.body and "Plan " not in letter.body


def test_more_than_five_agencies_are_listed_in_an_appendix_without_the_accepted_ones(world, overdue):
    """Decree 30 practice: "Kính gửi" names the class, the list goes in the appendix with its own page numbers,
    the body does not repeat it, an accepted agency is never named, and the drafter's contact is given."""
    from docx.oxml.ns import qn

    from plantrack.monitoring.letter import letter_recipients

    world.dept.abbreviations = "SKHCN"
    world.dept.save()
    for n in range(5):
        AgencyReport.objects.create(cycle=overdue, agency=AgencyFactory(name=f"Ban Thử {n}"))
    world.coordinator.phone = "0251 3822 000"
    world.coordinator.email = "dieuphoi@example.vn"
    world.coordinator.office_code = "QLKH"
    world.coordinator.save()
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    assert letter.addressee_list() == ["Các cơ quan, đơn vị (theo danh sách kèm theo)"]
    assert letter.symbol == "SKHCN-QLKH" and letter.recipient_lines()[-1] == "- Lưu: VT, QLKH."
    assert "của các cơ quan, đơn vị có tên tại danh sách kèm theo." in letter.body
    assert all(f"Ban Thử {n}" not in letter.body for n in range(5))
    contact = f"Thông tin chi tiết xin liên hệ: {world.coordinator.display_name}, điện thoại: 0251 3822 000, "
    assert contact + "thư điện tử: dieuphoi@example.vn." in letter.body

    # Sở Tài chính's late report is accepted after the letter was prepared: it is no longer named.
    reporting.report_accept(
        actor=world.coordinator, report=AgencyReport.objects.get(cycle=overdue, agency=world.a)
    )
    _class, rows = letter_recipients(letter)
    assert "Sở Tài chính (thử)" in [a["name"] for a in letter.listed_agencies]
    assert [name for name, _state in rows] == [*[f"Ban Thử {n}" for n in range(5)], "Sở Nội vụ (thử)"]

    doc = Document(io.BytesIO(urging_letter_docx(letter)))
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    assert "Kính gửi: Các cơ quan, đơn vị (theo danh sách kèm theo)." in texts
    assert "Sở Tài chính (thử)" not in "\n".join(texts) + "".join(
        c.text for t in doc.tables for c in t._cells
    )
    note = next(t for t in texts if t.startswith("(Kèm theo Công văn số"))
    assert note.replace("\u00a0", " ").split()[5:7] == ["/SKHCN-QLKH", "ngày"]
    assert note.endswith(f"của {letter.issuing_body})")
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["TT", "Cơ quan, đơn vị", "Tình trạng báo cáo"]
    assert [r.cells[1].text for r in table.rows[1:]] == [name for name, _state in rows]
    assert table.rows[1].cells[2].text == "Chưa gửi báo cáo"
    appendix = doc.sections[-1]._sectPr
    assert appendix.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert len(doc.sections) == 2


def test_five_agencies_or_fewer_are_named_under_kinh_gui(world, overdue):
    world.coordinator.email = ""
    world.coordinator.save()
    letter = urging_letter_prepare(actor=world.coordinator, cycle=overdue, today=TODAY)
    doc = Document(io.BytesIO(urging_letter_docx(letter)))
    assert len(doc.sections) == 1 and "kèm theo" not in letter.addressees
    assert "Thông tin chi tiết" not in letter.body  # no phone, no e-mail on the profile: no contact line
