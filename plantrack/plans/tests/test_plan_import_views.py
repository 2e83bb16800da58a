"""Upload, review and publish pages: who may use them, and that nothing becomes a plan before "Công bố"."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from plantrack.accounts.models import Role
from plantrack.accounts.tests.factories import UserFactory
from plantrack.orgs.models import Agency
from plantrack.orgs.services import agencies_load
from plantrack.plans.models import DraftStatus, Plan, PlanImportDraft

from .conftest import AGENCIES, sample_bytes

pytestmark = pytest.mark.django_db
UPLOAD = reverse("plan_import:import_upload")


@pytest.fixture
def people(db) -> dict:
    """The registry of 2024 and one persona per role: a coordinator of Sở KH&CN, a coordinator of another agency,
    agency users of Sở Tài chính (agency A) and Sở Nội vụ (agency B), a viewer, an administrator, a superuser."""
    agencies_load(data=json.loads(AGENCIES.read_text(encoding="utf-8")))
    agency = {
        a.name: a
        for a in Agency.objects.filter(name__in=["Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ"])
    }
    return {
        "coordinator_agency": UserFactory(
            username="dieuphoi", role=Role.COORDINATOR, agency=agency["Sở Khoa học và Công nghệ"]
        ),
        "other_coordinator": UserFactory(
            username="dieuphoi.stc", role=Role.COORDINATOR, agency=agency["Sở Tài chính"]
        ),
        "reporter": UserFactory(username="chuyenvien.stc", role=Role.REPORTER, agency=agency["Sở Tài chính"]),
        "head": UserFactory(username="lanhdao.snv", role=Role.HEAD, agency=agency["Sở Nội vụ"]),
        "viewer": UserFactory(username="xem", role=Role.VIEWER),
        "admin": UserFactory(username="quantri", role=Role.ADMIN),
        "superuser": UserFactory(username="root", role=Role.VIEWER, is_superuser=True, is_staff=True),
    }


def _upload(client, name: str, data: bytes | None = None):
    data = sample_bytes(name) if data is None else data
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data)})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("role", ["coordinator_agency", "admin", "superuser"])
def test_importers_see_the_upload_page_and_the_nav_link(client, people, role):
    client.force_login(people[role])
    response = client.get(UPLOAD)
    assert response.status_code == 200
    assert f'href="{UPLOAD}"' in response.content.decode()


@pytest.mark.parametrize("role", ["reporter", "head", "viewer"])
def test_other_roles_are_refused(client, people, role):
    client.force_login(people[role])
    assert client.get(UPLOAD).status_code == 403
    assert _upload(client, "plan_386_KH-UBND.txt").status_code == 403
    assert PlanImportDraft.objects.count() == 0
    home = client.get(reverse("home"))
    assert f'href="{UPLOAD}"' not in home.content.decode()


def test_anonymous_users_are_sent_to_login(client, people):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_upload_creates_a_draft_and_no_plan(client, people):
    client.force_login(people["coordinator_agency"])
    response = _upload(client, "plan_386_KH-UBND.txt")
    draft = PlanImportDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plan_import:import_review", args=[draft.pk])
    assert Plan.objects.count() == 0
    assert (draft.created_by, draft.file_kind, draft.status) == (
        people["coordinator_agency"],
        "txt",
        DraftStatus.DRAFT,
    )
    assert len(draft.data["tasks"]) == 31
    page = client.get(f"{response['Location']}?phan=nhiem-vu")
    text = _text(page)
    assert page.status_code == 200
    # The source text beside the extracted structure, with a link from each task to its line.
    assert 'id="src-0"' in text and "Số: 386/KH-UBND" in text
    assert "Nhiệm vụ III.1.a.1" in text
    assert f'href="#src-{draft.locations["tasks.0"]}"' in text
    assert "Không còn lỗi: có thể công bố." in text


def test_unresolved_agencies_are_highlighted_and_block_publishing(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "synthetic_by_agency.docx")
    draft = PlanImportDraft.objects.get()
    url = reverse("plan_import:import_review", args=[draft.pk])
    text = _text(client.get(f"{url}?phan=nhiem-vu"))
    assert "không tìm thấy “Sở Du lịch” trong danh mục cơ quan" in text
    assert 'class="imp-bad"' in text
    assert "được hiểu gần đúng là “Sở Tài chính”" in text  # the typo, matched but marked for checking
    response = client.post(f"{url}?phan=nhiem-vu", {"action": "publish"}, follow=True)
    assert "Chưa công bố được kế hoạch" in _text(response)
    assert Plan.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT


def test_fixing_the_draft_then_publishing_creates_the_plan(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "synthetic_by_agency.docx")
    draft = PlanImportDraft.objects.get()
    index = next(i for i, t in enumerate(draft.data["tasks"]) if t["code"] == "PL1.I.2")
    url = reverse("plan_import:import_review", args=[draft.pk])
    # The reviewer picks the right agency for "Sở Du lịch" and edits the task text.
    client.post(
        f"{url}?phan=nhiem-vu",
        {
            "action": "save",
            f"task-{index}-code": "PL1.I.2",
            f"task-{index}-group": "PL1.I",
            f"task-{index}-recurrence": "once",
            f"task-{index}-deadline": "30/06/2025",
            f"task-{index}-text": "Kết nối dữ liệu (đã sửa)",
            f"task-{index}-heading": "",
            f"task-{index}-a0-role": "lead",
            f"task-{index}-a0-who": "Sở Khoa học và Công nghệ",
            f"task-{index}-a0-as_written": "Sở KH&CN",
            f"task-{index}-a1-role": "coordinate",
            f"task-{index}-a1-who": "Sở Tài chính",
            f"task-{index}-a1-as_written": "Sở Tài chínhh",
            f"task-{index}-a2-role": "coordinate",
            f"task-{index}-a2-who": "Sở Văn hóa, Thể thao và Du lịch",
            f"task-{index}-a2-as_written": "Sở Du lịch",
        },
    )
    draft.refresh_from_db()
    task = draft.data["tasks"][index]
    assert task["text"] == "Kết nối dữ liệu (đã sửa)"
    assert task["coordinate"] == ["Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch"]
    assert Plan.objects.count() == 0  # saving the draft is not publishing
    response = client.post(f"{url}?phan=nhiem-vu", {"action": "publish"})
    plan = Plan.objects.get(number="902", symbol="KH-UBND")
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.tasks.count() == len(draft.data["tasks"])
    saved = plan.tasks.get(code="PL1.I.2")
    assert saved.text == "Kết nối dữ liệu (đã sửa)"
    assert [a.display_name for a in saved.assignments.order_by("order")] == [
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Sở Văn hóa, Thể thao và Du lịch",
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.plan, draft.published_by) == (
        DraftStatus.PUBLISHED,
        plan,
        people["coordinator_agency"],
    )
    # A published draft is read-only.
    assert client.post(url, {"action": "save", "title": "x"}).status_code == 403


def test_edits_are_kept_even_when_invalid(client, people):
    client.force_login(people["admin"])
    _upload(client, "plan_386_KH-UBND.txt")
    draft = PlanImportDraft.objects.get()
    url = reverse("plan_import:import_review", args=[draft.pk])
    client.post(
        f"{url}?phan=chung",
        {
            "action": "save",
            "number": "386/KH-UBND",
            "date": "31/02/2024",
            "title": "Tên mới",
            "issuer": "UBND tỉnh",
            "coordinator_agency": "Sở KH&CN",
        },
    )
    client.post(
        f"{url}?phan=chi-tieu",
        {"action": "save", "tgt-1-min": "45,5", "tgt-1-comparator": "at_least", "tgt-1-target_year": "2035"},
    )
    draft.refresh_from_db()
    assert (draft.data["date"], draft.data["title"]) == ("31/02/2024", "Tên mới")
    assert (draft.data["issuer"], draft.data["coordinator_agency"]) == (
        "Ủy ban nhân dân tỉnh Đồng Nai",
        "Sở Khoa học và Công nghệ",
    )
    assert (draft.data["targets"][1]["min"], draft.data["targets"][1]["target_year"]) == (45.5, 2035)
    text = _text(client.get(f"{url}?phan=chung"))
    assert 'value="31/02/2024"' in text
    assert "Ngày ban hành chưa có hoặc không hợp lệ" in text
    client.post(url, {"action": "publish"})
    assert Plan.objects.count() == 0


def test_drafts_are_private_to_their_coordinator(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "plan_386_KH-UBND.txt")
    url = reverse("plan_import:import_review", args=[PlanImportDraft.objects.get().pk])
    client.force_login(people["other_coordinator"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "delete"}).status_code == 404
    client.force_login(people["reporter"])
    assert client.get(url).status_code == 403
    client.force_login(people["admin"])
    assert client.get(url).status_code == 200
    assert PlanImportDraft.objects.count() == 1


def test_each_review_section_renders(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "synthetic_numbered.pdf")
    url = reverse("plan_import:import_review", args=[PlanImportDraft.objects.get().pk])
    for section, expected in (
        ("chung", "901/KH-UBND"),
        ("chi-tieu", "Chỉ tiêu 1.2.4.2"),
        ("nhiem-vu", "Nhiệm vụ 2.2.1.2"),
        ("to-chuc", "15/12"),
    ):
        response = client.get(f"{url}?phan={section}")
        assert response.status_code == 200
        assert expected in _text(response)
        # The source text beside the form scrolls on its own: keyboard users must be able to reach it.
        assert (
            '<aside class="imp-source card" aria-labelledby="src-title" tabindex="0">'
            in response.content.decode()
        )


def test_delete_a_draft(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "plan_386_KH-UBND.txt")
    url = reverse("plan_import:import_review", args=[PlanImportDraft.objects.get().pk])
    assert client.post(url, {"action": "delete"}).status_code == 302
    assert PlanImportDraft.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", None, "không có lớp chữ"),
        ("kh.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Word 97"),
        ("anh.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "hỏng"),
        ("thu.txt", "Kính gửi anh chị,\nxin cảm ơn.".encode(), "không có cấu trúc của một kế hoạch"),
    ],
)
@override_settings(PLAN_IMPORT_OCR_MODE="inline")
def test_unreadable_files_get_a_clear_message_not_an_error_page(
    client, people, name, data, message, monkeypatch
):
    from plantrack.plans.importing import ocr

    # The message does not depend on whether this machine has OCR installed.
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    if data is None:
        import io

        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        buffer = io.BytesIO()
        writer.write(buffer)
        data = buffer.getvalue()
    client.force_login(people["coordinator_agency"])
    response = _upload(client, name, data)
    assert response.status_code == 200
    assert message in _text(response)
    assert PlanImportDraft.objects.count() == 0


@override_settings(PLANTRACK_IMPORT_MAX_BYTES=1024)
def test_size_limit_has_a_clear_message(client, people):
    client.force_login(people["coordinator_agency"])
    response = _upload(client, "plan_386_KH-UBND.txt")
    assert response.status_code == 200
    assert "Tệp có dung lượng 26,3 KB, vượt giới hạn 1 KB." in _text(response)
    assert PlanImportDraft.objects.count() == 0


def test_draft_list_query_count_does_not_grow(client, people, django_assert_max_num_queries):
    client.force_login(people["admin"])
    for _ in range(2):
        _upload(client, "synthetic_numbered.txt")
    with django_assert_max_num_queries(8):
        first = client.get(UPLOAD)
    for _ in range(4):
        _upload(client, "synthetic_numbered.txt")
    with django_assert_max_num_queries(8):
        second = client.get(UPLOAD)
    assert first.status_code == second.status_code == 200
    assert second.content.decode().count("synthetic_numbered.txt") == 6


def test_reporting_rule_is_editable_too(client, people):
    client.force_login(people["coordinator_agency"])
    _upload(client, "plan_386_KH-UBND.txt")
    draft = PlanImportDraft.objects.get()
    url = reverse("plan_import:import_review", args=[draft.pk])
    assert 'value="Các sở, ban, ngành; UBND các huyện, thành phố"' in _text(client.get(f"{url}?phan=to-chuc"))
    client.post(
        f"{url}?phan=to-chuc",
        {
            "action": "save",
            "rep-0-due": "10/12",
            "rep-0-to": "Sở KH&CN",
            "rep-0-who_groups": "các sở, ban, ngành; Nhóm không có",
            "rep-0-who": "Các sở",
            "rep-0-text": "Báo cáo",
        },
    )
    draft.refresh_from_db()
    row = draft.data["reporting"][0]
    assert (row["due"], row["to"], row["who_groups"]) == (
        "10/12",
        "Sở Khoa học và Công nghệ",
        ["Các sở, ban, ngành", "Nhóm không có"],
    )
    assert "“Nhóm không có” không phải nhóm cơ quan trong danh mục" in _text(
        client.get(f"{url}?phan=to-chuc")
    )


def _scan_bytes():
    from .foreign_documents import fonts_available, scanned_pdf

    if not fonts_available():
        pytest.skip("no font with Vietnamese glyphs to draw the scanned page")
    return scanned_pdf()


def test_a_scan_is_read_off_the_request_and_its_state_shown(client, people, monkeypatch):
    from plantrack.plans.importing import services
    from plantrack.plans.importing.models import JobState, PlanImportJob

    queued = []
    monkeypatch.setattr(services.queue, "enqueue", lambda *args, **kwargs: queued.append((args, kwargs)))
    client.force_login(people["coordinator_agency"])
    response = _upload(client, "kh88.pdf", _scan_bytes())
    assert response.status_code == 302 and response.url == UPLOAD
    job = PlanImportJob.objects.get()
    assert job.state == JobState.QUEUED and PlanImportDraft.objects.count() == 0
    assert queued == [
        ((services.READ_TASK, job.pk), {"name": f"plan-import-{job.pk}", "group": "plan-import"})
    ]
    page = client.get(UPLOAD).content.decode()
    assert 'http-equiv="refresh"' in page and "Đang chờ" in page and "kh88.pdf" in page
    # Another coordinator does not see it.
    client.force_login(people["other_coordinator"])
    assert "kh88.pdf" not in client.get(UPLOAD).content.decode()

    # The worker runs it (twice: the queue may hand a task out again); one draft, the file not kept.
    from plantrack.plans.importing.tasks import plan_import_read

    monkeypatch.setattr(
        services, "import_document", lambda data, filename, registry: _fake_result(data, filename)
    )
    assert plan_import_read(job.pk) == "done", PlanImportJob.objects.get().message
    assert plan_import_read(job.pk) == "done"
    job.refresh_from_db()
    assert PlanImportDraft.objects.count() == 1 and job.draft == PlanImportDraft.objects.get()
    assert bytes(job.content) == b""
    client.force_login(people["coordinator_agency"])
    page = client.get(UPLOAD).content.decode()
    assert 'http-equiv="refresh"' not in page and "Đã đọc xong" in page
    assert reverse("plan_import:import_review", args=[job.draft.pk]) in page


def _fake_result(data, filename):
    """The parse of a text plan standing in for OCR (the OCR itself is tested in test_plan_import_ocr)."""
    from plantrack.plans.importing import Registry, import_document

    return import_document(
        sample_bytes("synthetic_numbered.txt"), "synthetic_numbered.txt", registry=Registry.from_db()
    )


def test_a_failed_read_is_shown_with_its_message(client, people, monkeypatch):
    from plantrack.plans.importing import PlanImportError, services
    from plantrack.plans.importing.models import PlanImportJob

    monkeypatch.setattr(services.queue, "enqueue", lambda *args, **kwargs: None)
    client.force_login(people["coordinator_agency"])
    _upload(client, "kh88.pdf", _scan_bytes())

    def refuse(*args, **kwargs):
        raise PlanImportError("Máy chủ chưa cài nhận dạng chữ (OCR).")

    monkeypatch.setattr(services, "import_document", refuse)
    job = services.plan_import_job_run(job_id=PlanImportJob.objects.get().pk)
    assert job.state == "failed"
    page = client.get(UPLOAD).content.decode()
    assert "Không đọc được" in page and "Máy chủ chưa cài nhận dạng chữ (OCR)." in page


@override_settings(PLAN_IMPORT_OCR_MODE="inline")
def test_inline_ocr_goes_straight_to_review(client, people, monkeypatch):
    from plantrack.plans.importing import services

    monkeypatch.setattr(
        services, "import_document", lambda data, filename, registry: _fake_result(data, filename)
    )
    client.force_login(people["coordinator_agency"])
    response = _upload(client, "kh88.pdf", _scan_bytes())
    draft = PlanImportDraft.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plan_import:import_review", args=[draft.pk])


def test_a_job_no_worker_finishes_is_shown_stalled(client, people, monkeypatch):
    import datetime

    from django.utils import timezone

    from plantrack.plans.importing import services
    from plantrack.plans.importing.models import PlanImportJob

    monkeypatch.setattr(services.queue, "enqueue", lambda *args, **kwargs: None)
    client.force_login(people["coordinator_agency"])
    _upload(client, "kh88.pdf", _scan_bytes())
    PlanImportJob.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    page = client.get(UPLOAD).content.decode()
    assert "quá thời gian" in page and 'http-equiv="refresh"' not in page


def test_the_drafts_list_is_paged_not_cut_at_30(client, people):
    user = people["coordinator_agency"]
    PlanImportDraft.objects.bulk_create(
        PlanImportDraft(created_by=user, filename=f"ke-hoach-{i:02}.txt", file_kind="txt") for i in range(35)
    )
    client.force_login(user)
    first = client.get(UPLOAD)
    assert len(first.context["drafts"]) == 30 and "Trang 1/2" in _text(first)
    second = client.get(UPLOAD, {"page": 2})
    assert len(second.context["drafts"]) == 5
