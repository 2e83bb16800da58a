"""Bulk import of accounts from an Excel sheet: checked and previewed first, then all created or none; agencies
resolved by any of their names, roles by label or code; temporary passwords shown once and downloadable."""

import base64
import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError

from plantrack.accounts.models import Role, User
from plantrack.accounts.services import AccountRow, users_import, users_import_check
from plantrack.accounts.sheets import MAX_ROWS, account_rows_read
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.security.models import SecurityAction, SecurityEvent
from plantrack.security.tests.conftest import login_post

from .sheets import xlsx_rows, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies(staff):
    return [
        AgencyFactory(name="Sở Tài chính thử", short_name="Sở Tài chính thử", abbreviations="STC-T"),
        AgencyFactory(name="Sở Nội vụ thử", short_name="Sở Nội vụ thử", abbreviations="SNV-T"),
        AgencyFactory(name="Ủy ban nhân dân xã Long Thành thử", short_name="UBND xã Long Thành thử"),
    ]


def fifty_rows(agencies):
    # Agencies written the ways people write them: official name, abbreviation, no diacritics, short name;
    # roles by Vietnamese label, code, or without diacritics.
    agency_texts = [
        "Sở Tài chính thử",
        "SNV-T",
        "uy ban nhan dan xa long thanh thu",
        "UBND xã Long Thành thử",
    ]
    role_texts = ["Chuyên viên", "head", "lanh dao don vi", "Xem", "CHUYÊN VIÊN"]
    return [
        (f"cv{i:02d}", f"Nguyễn Văn {i:02d}", f"cv{i:02d}@example.vn", agency_texts[i % 4], role_texts[i % 5])
        for i in range(50)
    ]


def test_an_administrator_creates_50_users_from_a_sheet(client, staff, agencies):
    client.force_login(staff.manager)
    preview = client.post("/tai-khoan/quan-ly/nhap-excel/", {"file": xlsx_upload(fifty_rows(agencies))})
    assert preview.status_code == 200
    assert "Sẽ tạo 50 tài khoản" in preview.content.decode()
    assert not User.objects.filter(username__startswith="cv").exists()  # nothing before the confirmation

    done = client.post("/tai-khoan/quan-ly/nhap-excel/xac-nhan/")
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    created = User.objects.filter(username__startswith="cv").select_related("agency")
    assert created.count() == 50
    cv07 = created.get(username="cv07")  # row 7: "UBND xã Long Thành thử", "lanh dao don vi"
    assert (cv07.agency, cv07.role, cv07.full_name) == (agencies[2], Role.HEAD, "Nguyễn Văn 07")
    assert created.get(username="cv01").agency == agencies[1]  # by abbreviation
    assert created.get(username="cv03").role == Role.VIEWER
    assert all(u.must_change_password for u in created)

    # The passwords: on the page once, and in the downloadable sheet, matching the accounts.
    link = re.search(r'href="data:[^;]+;base64,([^"]+)" download="mat-khau-tam.xlsx"', done.content.decode())
    rows = xlsx_rows(base64.b64decode(link.group(1)))
    assert rows[0] == ["Tên đăng nhập", "Họ tên", "Đơn vị", "Vai trò", "Mật khẩu tạm"]
    assert len(rows) == 51
    passwords = {row[0]: row[4] for row in rows[1:]}
    assert all(created.get(username=name).check_password(pw) for name, pw in passwords.items())
    assert passwords["cv10"] in done.content.decode()

    assert SecurityEvent.objects.filter(action=SecurityAction.USER_CREATED, detail__import=True).count() == 50
    assert SecurityEvent.objects.get(action=SecurityAction.USERS_IMPORTED).detail == {"count": 50}
    # Confirming twice creates nothing more (the preview is used up).
    again = client.post("/tai-khoan/quan-ly/nhap-excel/xac-nhan/")
    assert again.status_code == 302 and created.count() == 50

    # A new user logs in with the temporary password and must choose their own first.
    person = client.__class__()
    assert login_post(person, "cv10", passwords["cv10"]).status_code == 302
    assert person.get("/").url == "/tai-khoan/doi-mat-khau/"


def test_malformed_rows_save_nothing_and_each_error_names_its_row_and_column(client, staff, agencies):
    rows = [
        ("tot.mot", "Người tốt", "tot@example.vn", "Sở Tài chính thử", "Chuyên viên"),  # row 2: fine
        ("la.donvi", "Đơn vị lạ", "", "Sở Không Tồn Tại", "Chuyên viên"),  # row 3
        ("reporter_a", "Trùng tài khoản có sẵn", "", "Sở A", "Xem"),  # row 4
        ("tot.mot", "Trùng trong tệp", "", "Sở A", "Xem"),  # row 5
        ("sai.thu", "Thư sai", "khong-phai-thu", "Sở A", "Xem"),  # row 6
        ("sai.vaitro", "Vai trò lạ", "", "Sở A", "Giám đốc"),  # row 7
        ("thieu.donvi", "Thiếu đơn vị", "", "", "Lãnh đạo đơn vị"),  # row 8
        ("co dau cach", "Tên sai", "", "Sở A", "Xem"),  # row 9
    ]
    client.force_login(staff.manager)
    preview = client.post("/tai-khoan/quan-ly/nhap-excel/", {"file": xlsx_upload(rows)})
    html = preview.content.decode()
    found = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>", html)
    assert [(int(row), column) for row, column, _m in found] == [
        (3, "Đơn vị"),
        (4, "Tên đăng nhập"),
        (5, "Tên đăng nhập"),
        (6, "Thư điện tử"),
        (7, "Vai trò"),
        (8, "Đơn vị"),
        (9, "Tên đăng nhập"),
    ]
    messages = {int(row): message for row, _c, message in found}
    assert "Sở Không Tồn Tại" in messages[3]
    assert "dòng 2" in messages[5]
    assert "khong-phai-thu" in messages[6]
    assert "Tạo các tài khoản này" not in html
    # Nothing was kept for a confirmation, and nothing is created, not even the good row.
    assert client.post("/tai-khoan/quan-ly/nhap-excel/xac-nhan/").status_code == 302
    assert not User.objects.filter(username__in=["tot.mot", "la.donvi", "sai.thu"]).exists()
    assert not SecurityEvent.objects.filter(action=SecurityAction.USER_CREATED).exists()


def test_the_service_refuses_the_whole_sheet_for_one_bad_row(staff, agencies):
    rows = [
        AccountRow(row=2, username="a.mot", full_name="A", email="", agency="STC-T", role="reporter"),
        AccountRow(row=3, username="a.hai", full_name="B", email="", agency="Sở Ma", role="reporter"),
    ]
    with pytest.raises(ValidationError) as refused:
        users_import(actor=staff.manager, rows=rows)
    assert refused.value.messages == [
        "Dòng 3, cột “Đơn vị”: Không tìm thấy cơ quan, đơn vị “Sở Ma” (hoặc tên này trùng nhiều đơn vị)."
    ]
    assert not User.objects.filter(username__startswith="a.").exists()


def test_a_name_taken_between_preview_and_confirmation_creates_nothing(client, staff, agencies):
    client.force_login(staff.manager)
    rows = [("b.mot", "B1", "", "STC-T", "Xem"), ("b.hai", "B2", "", "STC-T", "Xem")]
    client.post("/tai-khoan/quan-ly/nhap-excel/", {"file": xlsx_upload(rows)})
    User.objects.create(username="B.HAI")
    response = client.post("/tai-khoan/quan-ly/nhap-excel/xac-nhan/", follow=True)
    assert "Dòng 3" in response.content.decode()
    assert not User.objects.filter(username="b.mot").exists()


def test_columns_found_by_title_in_any_order_and_blank_rows_skipped(staff, agencies):
    upload = xlsx_upload(
        [
            ("Xem", "c.mot", "Sở Nội vụ thử", "C"),
            (None, None, None, None),
            ("Chuyên viên", "c.hai", "SNV-T", "D"),
        ],
        header=["Vai trò", "Username", "Cơ quan, đơn vị", "Họ và tên"],
    )
    rows = account_rows_read(upload)
    assert [(r.row, r.username, r.role) for r in rows] == [(2, "c.mot", "Xem"), (4, "c.hai", "Chuyên viên")]
    assert users_import_check(rows=rows).ok


def test_unreadable_or_oversized_sheets_are_refused(staff, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="không phải tệp Excel"):
        account_rows_read(SimpleUploadedFile("x.xlsx", b"not a workbook"))
    with pytest.raises(ValidationError, match="Thiếu cột"):
        account_rows_read(xlsx_upload([("a", "b")], header=["Tên đăng nhập", "Họ tên"]))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    with pytest.raises(ValidationError, match="."):
        account_rows_read(SimpleUploadedFile("bom.xlsx", bomb.getvalue()))
    too_many = [(f"u{i}", "U", "", "Sở A", "Xem") for i in range(MAX_ROWS + 1)]
    with pytest.raises(ValidationError, match="hơn"):
        account_rows_read(xlsx_upload(too_many))


def test_template_sheet_is_readable_by_the_import(client, staff):
    client.force_login(staff.manager)
    response = client.get("/tai-khoan/quan-ly/nhap-excel/mau.xlsx")
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = account_rows_read(SimpleUploadedFile("mau.xlsx", response.content))
    assert [(r.username, r.role) for r in rows] == [("nguyenvana.stc", "Chuyên viên")]
