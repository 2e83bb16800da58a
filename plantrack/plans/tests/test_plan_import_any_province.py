"""Issue 13: plans of other provinces, a department and a ministry, as their text is published (synthetic samples
written for these tests in the layouts real plans use: two-column PDF header, hard-wrapped lines, page numbers,
running headers, drafts with blank number and date, assignments at the end of a task, by agency, in tables)."""

import json

import pytest
from django.core.management import call_command

from plantrack.orgs.models import Agency
from plantrack.plans.importing import Registry, import_document
from plantrack.plans.importing.parser import parse_plan
from plantrack.plans.importing.proposals import header_name, local_name
from plantrack.plans.importing.readers import SourceDocument, Table, drop_running_lines, unwrap_lines
from plantrack.plans.importing.targets import parse_value
from plantrack.plans.models import Plan
from plantrack.plans.rules import plan_data_problems
from plantrack.plans.services import plan_publish

from .conftest import SAMPLES, sample_bytes

LAO_CAI = "synthetic_lao_cai_pdf.txt"


def _import(name, registry):
    return import_document(sample_bytes(name), name, registry=registry)


@pytest.fixture
def lao_cai(registry_2024):
    return _import(LAO_CAI, registry_2024)


def _tasks(result):
    return {t["code"]: t for t in result.plan["tasks"]}


@pytest.mark.parametrize(
    ("upper", "written"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "UBND tỉnh Lào Cai"),
        ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", "Bộ Khoa học và Công nghệ"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("SỞ CÔNG THƯƠNG", "Sở Công Thương"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND thành phố Hà Nội"),
    ],
)
def test_header_names_are_written_as_in_running_text(upper, written):
    assert header_name(upper) == written


def test_a_body_of_another_province_gets_its_province():
    assert local_name("Sở Công Thương", "Lào Cai") == "Sở Công Thương tỉnh Lào Cai"
    assert local_name("Công an tỉnh", "Lào Cai") == "Công an tỉnh Lào Cai"
    assert local_name("UBND xã Bản Lầu", "Lào Cai") == "UBND xã Bản Lầu"
    assert local_name("Sở Tài chính", "Đà Nẵng") == "Sở Tài chính thành phố Đà Nẵng"


def test_pdf_text_header_draft_number_and_date(lao_cai):
    plan = lao_cai.plan
    assert plan["issuer"] == "UBND tỉnh Lào Cai"
    assert (plan["number"], plan["date"], plan["year"], plan["place"]) == ("", None, 2026, "Lào Cai")
    assert "THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW" in plan["title"]
    assert [r["number"] for r in plan["references"]] == ["57-NQ/TW", "749/QĐ-TTg"]
    # Blank number and date in a draft are not errors of the reading.
    assert not [p for p in lao_cai.problems if p.path in ("number", "date") and p.is_error]


def test_pdf_lines_reflowed_without_page_numbers_and_running_headers(lao_cai):
    lines = lao_cai.source.lines
    assert not any(line.startswith("Kế hoạch chuyển đổi số năm 2026 - UBND") for line in lines)
    assert "2" not in lines and "3" not in lines
    assert any(line.endswith("trên môi trường điện tử.") and line.startswith("- 100%") for line in lines)


def test_running_lines_need_to_recur_at_page_edges():
    pages = [["Đầu trang", "a) Nội dung một", "Chân trang"], ["Đầu trang", "b) Nội dung hai", "Chân trang"]]
    assert drop_running_lines(pages) == ["a) Nội dung một", "b) Nội dung hai"]
    # A line that occurs once stays; so does an outline item repeated at a page's top.
    assert drop_running_lines([["- Mục", "x"], ["- Mục", "y"]]) == ["- Mục", "x", "- Mục", "y"]
    assert unwrap_lines(["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH X Độc lập - Tự do"]) == [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỈNH X Độc lập - Tự do",
    ]


def test_trailing_and_by_agency_assignments_of_another_province(lao_cai):
    tasks = _tasks(lao_cai)
    assert tasks["III.1.a"]["lead"] == ["Sở Khoa học và Công nghệ tỉnh Lào Cai"]
    assert tasks["III.1.a"]["coordinate"] == ["Sở Tư pháp tỉnh Lào Cai", "Văn phòng UBND tỉnh Lào Cai"]
    assert tasks["III.2.a"]["coordinate"] == ["Công an tỉnh Lào Cai"]
    # The closing section organised by agency: each dash item is a task of that agency.
    assert tasks["IV.1.1"]["lead"] == tasks["IV.1.2"]["lead"] == ["Sở Công Thương tỉnh Lào Cai"]
    assert tasks["IV.2.1"]["lead"] == ["Sở Tài chính tỉnh Lào Cai"]
    # Every task keeps its source line, and that line names the task.
    for i, task in enumerate(lao_cai.plan["tasks"]):
        assert task["text"].split()[0] in lao_cai.source.lines[lao_cai.locations[f"tasks.{i}"]]


def test_unknown_agencies_are_proposed_with_kind_parent_and_province(lao_cai):
    proposed = {p["name"]: p for p in lao_cai.plan["proposed_agencies"]}
    assert proposed["UBND tỉnh Lào Cai"]["kind"] == "provincial_committee"
    assert proposed["Sở Công Thương tỉnh Lào Cai"] == {
        "name": "Sở Công Thương tỉnh Lào Cai",
        "kind": "department",
        "parent": "UBND tỉnh Lào Cai",
        "province": "Lào Cai",
    }
    assert lao_cai.plan["coordinator_agency"] == "Sở Khoa học và Công nghệ tỉnh Lào Cai"
    # No registry body of Đồng Nai is used for a plan of Lào Cai.
    names = {a["agency"] for t in lao_cai.plan["tasks"] for a in t["assignments"]}
    assert names <= set(proposed)
    assert lao_cai.errors == []


def test_recipients_of_another_level_are_never_a_province_department(lao_cai, registry_2024):
    by_text = {r["text"]: r for r in lao_cai.plan["recipients"]}
    assert by_text["Bộ Tài chính (báo cáo)"]["agency"] is None
    assert by_text["Thường trực Tỉnh ủy"]["agency"] is None
    assert by_text["Bộ Khoa học và Công nghệ (báo cáo)"]["agency"] == "Bộ Khoa học và Công nghệ"
    assert registry_2024.resolve("Bộ Tài chính").entity is None  # not "Sở Tài chính"
    warning = next(p for p in lao_cai.problems if p.path == "recipients.1")
    assert "Bộ Tài chính" in lao_cai.source.lines[lao_cai.locations[warning.path]]


def test_targets_ranges_of_counts_and_whole_percentages(lao_cai):
    targets = {t["code"]: t for t in lao_cai.plan["targets"]}
    assert (targets["II.1.1"]["min"], targets["II.1.1"]["max"], targets["II.1.1"]["unit"]) == (
        5,
        7,
        "nền tảng số dùng chung",
    )
    assert targets["II.1.1"]["short_name"].startswith("Nền tảng số dùng chung")
    assert (targets["II.1.2"]["min"], targets["II.1.2"]["unit"]) == (100, "%")
    milestones = targets["II.1.3"]
    assert [(p["target_year"], p["min"]) for p in milestones["parts"]] == [(2027, 50), (2030, 80)]
    assert parse_value("tăng 20%/năm")["unit"] == "%/năm"


def test_header_without_its_second_line_takes_the_place_of_the_date_line(registry_2024):
    result = _import("synthetic_kon_tum_lost_header.txt", registry_2024)
    assert result.plan["issuer"] == "UBND tỉnh Kon Tum"
    assert any(p.path == "issuer" and "Kon Tum" in p.message and not p.is_error for p in result.problems)
    tasks = _tasks(result)
    # "(X chủ trì, phối hợp Y)" closing the task.
    assert tasks["II.2"]["lead"] == ["Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum"]
    assert tasks["II.2"]["coordinate"] == ["Công an tỉnh Kon Tum"]


def test_a_departments_own_plan_leads_what_it_gives_no_one_else(registry_2024):
    result = _import("synthetic_so_quang_nam.txt", registry_2024)
    assert result.plan["issuer"] == "Sở Công Thương tỉnh Quảng Nam"
    proposed = {p["name"]: p for p in result.plan["proposed_agencies"]}
    assert proposed["Sở Công Thương tỉnh Quảng Nam"]["parent"] == "UBND tỉnh Quảng Nam"
    tasks = _tasks(result)
    assert tasks["II.1"]["lead"] == ["Sở Công Thương tỉnh Quảng Nam"]
    assert tasks["II.2"]["lead"] == ["Sở Tài chính tỉnh Quảng Nam"]


def test_a_ministry_is_read_as_written(registry_2024):
    result = _import("synthetic_bo_khcn.txt", registry_2024)
    assert result.plan["issuer"] == "Bộ Khoa học và Công nghệ"
    assert result.plan["number"] == "1234/KH-BKHCN"


def test_appendix_table_columns_in_any_order_product_kept_apart(registry_2024):
    table = Table(
        [
            [
                "Sản phẩm",
                "Đơn vị chủ trì",
                "TT",
                "Nội dung công việc",
                "Đơn vị phối hợp",
                "Thời gian hoàn thành",
            ],
            ["Cơ sở dữ liệu", "Sở Nội vụ", "1", "Số hóa hồ sơ lưu trữ", "Sở Tài chính", "Năm 2025"],
        ]
    )
    source = SourceDocument(
        "docx", "x.docx", ["Số: 1/KH-UBND", "Đồng Nai, ngày 1 tháng 2 năm 2025", "I. X", table]
    )
    task = parse_plan(source, registry_2024).plan["tasks"][0]
    assert (task["text"], task["product"]) == ("Số hóa hồ sơ lưu trữ", "Cơ sở dữ liệu")
    assert (task["lead"], task["coordinate"]) == (["Sở Nội vụ"], ["Sở Tài chính"])
    assert task["deadline"] == "2025-12-31"


@pytest.mark.django_db
def test_dry_run_json_prints_the_issuer_as_written(default_data, capsys):
    call_command("import_plan", str(SAMPLES / LAO_CAI), "--dry-run", "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert (out["issuer"], out["number"], out["date"]) == ("UBND tỉnh Lào Cai", "", None)
    assert out["tasks"][0]["lead"] == ["Sở Khoa học và Công nghệ tỉnh Lào Cai"]


@pytest.mark.django_db
def test_publishing_creates_the_proposed_agencies_in_the_same_transaction(default_data, personas):
    result = _import("synthetic_kon_tum_lost_header.txt", Registry.from_db())
    data = dict(result.plan, coordinator_agency="Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum")
    problems = plan_data_problems(data)
    assert not [p for p in problems if p.is_error], [p.message for p in problems if p.is_error]
    assert any(p.code == "agency_proposed" and not p.is_error for p in problems)
    plan = plan_publish(actor=None, data=data)
    sở = Agency.objects.get(name="Sở Văn hóa, Thể thao và Du lịch tỉnh Kon Tum")
    assert (sở.kind, sở.parent.name) == ("department", "UBND tỉnh Kon Tum")
    assert plan.issuer.name == "UBND tỉnh Kon Tum"
    assert Plan.objects.filter(pk=plan.pk).exists()
