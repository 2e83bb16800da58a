"""Pages: the clerk's form (stale refusal keeps the text, rejected upload keeps the form), the lead agency's view of
its partners' entries, the coordinator's cycle page, and constant query counts on list pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.tests.factories import AssignmentFactory
from plantrack.reporting.models import AgencyReport, Evidence, ReportState
from plantrack.reporting.services import cycle_open, report_accept, report_save_draft, report_submit

from . import samples
from .conftest import fill
from .factories import UserFactory


def form_data(report: AgencyReport, **overrides) -> dict:
    data = {
        "version": report.version,
        "data_as_of": "30/11/2025",
        "main_results": report.main_results,
        "shortcomings": "",
        "next_year": "",
        "proposals": "",
    }
    for e in report.entries.all():
        data.update({f"e{e.pk}-status": e.status, f"e{e.pk}-results": e.results, f"e{e.pk}-difficulties": ""})
    data.update(overrides)
    return data


def test_clerk_saves_the_draft_and_sees_when(client, world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.reporter_a)
    response = client.post(
        f"/bao-cao/{report.pk}/sua/",
        form_data(
            report, **{f"e{entry.pk}-status": "in_progress", f"e{entry.pk}-results": "Đã tổ chức 3 hội nghị"}
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã lưu lúc" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.status, entry.results) == ("in_progress", "Đã tổ chức 3 hội nghị")
    report.refresh_from_db()
    assert report.data_as_of.isoformat() == "2025-11-30"


def test_stale_form_is_refused_and_keeps_what_the_user_typed(client, world, cycle):
    report = world.report(cycle, world.a)
    stale = form_data(report, next_year="Phương hướng tôi vừa gõ rất dài")  # built on version 1
    report_save_draft(
        actor=world.head_a, report=report, version=1, sections={"next_year": "Bản của lãnh đạo"}
    )
    client.force_login(world.reporter_a)
    response = client.post(f"/bao-cao/{report.pk}/sua/", stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Phương hướng tôi vừa gõ rất dài" in html  # the user's text is still in the form
    assert "vừa được" in html
    report.refresh_from_db()
    assert report.next_year == "Bản của lãnh đạo"  # no lost update


def test_rejected_upload_says_why_and_keeps_the_rest(client, world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.reporter_a)
    data = form_data(
        report,
        **{
            f"e{entry.pk}-results": "Nội dung không được mất",
            f"e{entry.pk}-file": SimpleUploadedFile("bao-cao.pdf", b"MZ" + b"\x00" * 80),
        },
    )
    response = client.post(f"/bao-cao/{report.pk}/sua/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "không phải định dạng được chấp nhận" in html
    assert "Nội dung không được mất" in html
    entry.refresh_from_db()
    assert entry.results == "Nội dung không được mất"
    assert not Evidence.objects.exists()


def test_good_upload_and_link_are_attached(client, world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.reporter_a)
    client.post(
        f"/bao-cao/{report.pk}/sua/",
        form_data(
            report,
            **{
                f"e{entry.pk}-file": SimpleUploadedFile("ket-qua.docx", samples.docx()),
                f"e{entry.pk}-file_title": "Văn bản kết quả",
                f"e{entry.pk}-link": "https://dongnai.gov.vn/tin/1",
            },
        ),
    )
    assert sorted(Evidence.objects.filter(entry=entry).values_list("kind", flat=True)) == ["file", "link"]


def test_accepted_report_cannot_be_edited_from_the_page(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report_accept(actor=world.coordinator, report=AgencyReport.objects.get(pk=report.pk))
    client.force_login(world.reporter_a)
    response = client.get(f"/bao-cao/{report.pk}/sua/")
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/{report.pk}/"
    response = client.post(f"/bao-cao/{report.pk}/sua/", form_data(report, proposals="sửa sau khi khóa"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.proposals == "" and report.state == ReportState.ACCEPTED
    page = client.get(f"/bao-cao/{report.pk}/").content.decode()
    assert "Soạn, sửa báo cáo" not in page and "Đã tiếp nhận" in page


def test_lead_agency_sees_coordinating_agencies_submitted_entries(client, world, cycle):
    # B leads T2; A and C coordinate it. A submits, C does not.
    report_a = fill(world.report(cycle, world.a), world.reporter_a, text="Phần việc của Sở Tài chính")
    report_submit(actor=world.head_a, report=report_a)
    fill(world.report(cycle, world.c), world.head_c, text="Bản nháp của Sở Y tế")
    client.force_login(world.reporter_b)
    html = client.get(f"/bao-cao/{world.report(cycle, world.b).pk}/").content.decode()
    assert "Cơ quan phối hợp đã báo cáo nhiệm vụ này" in html
    assert "Phần việc của Sở Tài chính (III.1.b)" in html
    assert "Bản nháp của Sở Y tế" not in html
    # A's own page does not show B's unsent entries for T1 (A leads T1, B's report is a draft).
    client.force_login(world.reporter_a)
    assert "Cơ quan phối hợp đã báo cáo" not in client.get(f"/bao-cao/{report_a.pk}/").content.decode()


def test_cycle_page_shows_each_agency_state_in_words(client, world, cycle):
    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report_a)
    client.force_login(world.coordinator)
    html = client.get(f"/bao-cao/ky/{cycle.pk}/").content.decode()
    assert 'class="state state-submitted">Đã gửi<' in html
    assert html.count('class="state state-not_sent">Chưa gửi<') == 2
    assert f'href="/bao-cao/{report_a.pk}/"' in html
    assert f'href="/bao-cao/{world.report(cycle, world.b).pk}/"' not in html  # drafts stay with the agency


def test_agency_member_sees_only_its_own_row(client, world, cycle):
    client.force_login(world.reporter_a)
    html = client.get(f"/bao-cao/ky/{cycle.pk}/").content.decode()
    assert world.a.name in html and world.b.name not in html


def test_history_tab_shows_who_and_why(client, world, cycle):
    report = world.report(cycle, world.a)
    report_save_draft(actor=world.reporter_a, report=report, version=1, sections={"main_results": "Mới"})
    client.force_login(world.head_a)
    html = client.get(f"/bao-cao/{report.pk}/lich-su/").content.decode()
    assert "Lưu bản nháp" in html and world.reporter_a.display_name in html and "Mới" in html


def test_return_page_posts_general_and_entry_comments(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    report = AgencyReport.objects.get(pk=report.pk)
    entry = report.entries.get(task=world.t1)
    client.force_login(world.coordinator)
    response = client.post(
        f"/bao-cao/{report.pk}/tra-lai/",
        {"version": report.version, "comment": "Bổ sung", f"c{entry.pk}": "Thiếu số liệu"},
    )
    assert response.status_code == 302
    client.force_login(world.reporter_a)
    html = client.get(f"/bao-cao/{report.pk}/sua/").content.decode()
    assert "Thiếu số liệu" in html and "Bổ sung" in html


def _grow(world, cycle_year: int, n: int):
    """Add ``n`` agencies owing T1, each with a head; open a new cycle and submit half of the reports."""
    for _ in range(n):
        agency = AgencyFactory()
        AssignmentFactory(task=world.t1, role="coordinate", agency=agency)
        UserFactory(role="head", agency=agency)
    cycle = cycle_open(actor=world.coordinator, plan=world.plan, year=cycle_year)
    from django.contrib.auth import get_user_model

    for i, report in enumerate(AgencyReport.objects.filter(cycle=cycle)):
        if i % 2:
            continue
        head = get_user_model().objects.filter(agency=report.agency, role="head").first()
        if head:
            report_submit(actor=head, report=fill(report, head))
    return cycle


def _count(client, user, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_have_a_constant_number_of_queries(client, world):
    """The same pages for a cycle of 5 agencies and one of 25 run the same number of queries; the lists over all
    cycles run the same number before and after the 25 reports exist."""
    global_pages = [
        (world.coordinator, "/bao-cao/"),
        (world.viewer, "/bao-cao/"),
        (world.coordinator, "/bao-cao/ky/"),
        (world.viewer, "/api/v1/reports/"),
        (world.coordinator, "/api/v1/cycles/"),
    ]
    small = _grow(world, 2030, 2)
    before = [_count(client, user, path) for user, path in global_pages]
    large = _grow(world, 2031, 20)
    assert AgencyReport.objects.filter(cycle=large).count() == 23 + 2
    assert [_count(client, user, path) for user, path in global_pages] == before
    pages = [
        (world.coordinator, "/bao-cao/ky/{c}/"),
        (world.coordinator, "/bao-cao/ky/{c}/?trang-thai=submitted"),
        (world.viewer, "/bao-cao/ky/{c}/"),
        (world.coordinator, "/api/v1/reports/?cycle={c}"),
        (world.coordinator, "/api/v1/cycles/{c}/status/"),
    ]
    for user, path in pages:
        assert _count(client, user, path.format(c=small.pk)) == _count(
            client, user, path.format(c=large.pk)
        ), path


def test_admin_pages_are_read_only(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=report)
    client.force_login(world.admin)
    for model in ("reportingcycle", "agencyreport", "evidence", "reportsubmission", "reporttransition"):
        assert client.get(f"/quan-tri/reporting/{model}/").status_code == 200, model
        assert client.get(f"/quan-tri/reporting/{model}/add/").status_code == 403, model
    page = client.get(f"/quan-tri/reporting/agencyreport/{report.pk}/change/")
    assert page.status_code == 200 and b'name="main_results"' not in page.content
    assert client.get(f"/quan-tri/reporting/agencyreport/{report.pk}/history/").status_code == 200


def test_the_admin_site_never_shows_a_draft_not_even_to_a_superuser(client, world, cycle):
    """/quan-tri/ lists what the pages let the user read (AgencyReport.objects.for_user): another agency's draft,
    its entries, submissions, transitions and past versions stay with the agency."""
    sent = fill(world.report(cycle, world.a), world.reporter_a)
    report_submit(actor=world.head_a, report=sent)
    draft = fill(world.report(cycle, world.b), world.reporter_b, text="Nội dung nháp bí mật")
    client.force_login(world.admin)
    listed = client.get("/quan-tri/reporting/agencyreport/").content.decode()
    assert f"/agencyreport/{sent.pk}/change/" in listed and f"/agencyreport/{draft.pk}/change/" not in listed
    assert (
        client.get(f"/quan-tri/reporting/agencyreport/{draft.pk}/change/").status_code == 302
    )  # "does not exist"
    assert client.get(f"/quan-tri/reporting/agencyreport/{draft.pk}/history/").status_code == 404
    draft_record = draft.history.order_by("-history_id").first()
    path = f"/quan-tri/reporting/agencyreport/{draft.pk}/history/{draft_record.history_id}/"
    assert client.get(path).status_code == 404
    # The sent report's history lists its sent version, not the drafts saved before it.
    history = client.get(f"/quan-tri/reporting/agencyreport/{sent.pk}/history/")
    assert history.status_code == 200
    drafts_before = sent.history.filter(state="draft").order_by("history_id").first()
    assert f"/history/{drafts_before.history_id}/" not in history.content.decode()
    path = f"/quan-tri/reporting/agencyreport/{sent.pk}/history/{drafts_before.history_id}/"
    assert client.get(path).status_code == 404
    for model in ("reportsubmission", "reporttransition", "evidence"):
        assert f"{world.b.name}" not in client.get(f"/quan-tri/reporting/{model}/").content.decode(), model
