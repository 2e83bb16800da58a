"""The other styles of plans (SYNTHETIC TEST DATA written for these tests): organised by agency, with an appendix
task table (.docx), and a "1.1." numbered outline (.pdf); plus the rules piece by piece."""

import datetime

import pytest

from plantrack.plans.importing import PlanImportError, import_document
from plantrack.plans.importing.parser import extract_assignment
from plantrack.plans.importing.readers import SourceDocument
from plantrack.plans.importing.resolver import AMBIGUOUS, FUZZY, RESOLVED, UNNAMED, UNRESOLVED, Registry
from plantrack.plans.importing.targets import parse_number, parse_target
from plantrack.plans.importing.timing import timing_from_cell, timing_from_text

from .conftest import sample_bytes


def _tasks(result) -> dict:
    return {t["code"]: t for t in result.plan["tasks"]}


# --- a plan organised by agency, with an appendix table (.docx) ---------------------------------------------


@pytest.fixture(scope="module")
def by_agency(registry_2024):
    return import_document(
        sample_bytes("synthetic_by_agency.docx"), "synthetic_by_agency.docx", registry=registry_2024
    )


def test_docx_header_table_gives_the_metadata(by_agency):
    plan = by_agency.plan
    assert (plan["number"], plan["issuer"], plan["place"], plan["date"]) == (
        "902/KH-UBND",
        "Ủy ban nhân dân tỉnh Đồng Nai",
        "Đồng Nai",
        "2025-05-20",
    )
    assert plan["title"].startswith("Ứng dụng chuyển đổi số") and "SYNTHETIC TEST DATA" in plan["title"]
    assert plan["references"] == [
        {"kind": "implements", "number": "386/KH-UBND", "text": pytest.approx(plan["references"][0]["text"])}
    ]
    assert plan["coordinator_agency"] == "Sở Khoa học và Công nghệ"


def test_headings_that_name_an_agency_assign_every_bullet_under_them(by_agency):
    tasks = _tasks(by_agency)
    assert [g["code"] for g in by_agency.plan["task_groups"]][:4] == ["III.1", "III.2", "III.3", "III.4"]
    assert by_agency.plan["task_groups"][0]["title"] == "Sở Khoa học và Công nghệ"
    assert tasks["III.1.1"]["lead"] == ["Sở Khoa học và Công nghệ"]
    # "- Chủ trì, phối hợp với X …" under the agency: the heading leads, X coordinates.
    assert tasks["III.1.1"]["coordinate"] == ["Sở Thông tin và Truyền thông"]
    assert tasks["III.1.1"]["heading"] == "Sở Khoa học và Công nghệ:"
    assert tasks["III.1.2"]["coordinate"] == []
    assert tasks["III.2.1"]["lead"] == ["Sở Tài chính"]
    # "X phối hợp Y:" as a heading: X still leads; Word's own bullets were read as items.
    for code in ("III.3.1", "III.3.2"):
        assert (tasks[code]["lead"], tasks[code]["coordinate"]) == (
            ["Sở Thông tin và Truyền thông"],
            ["Sở Nội vụ"],
        )
    # A group heading: every district leads; "- Phối hợp với X" adds X as coordinator.
    assert tasks["III.4.1"]["lead"] == ["UBND các huyện, thành phố"]
    assert tasks["III.4.1"]["lead_is_group"] is True
    assert tasks["III.4.1"]["assignments"][0]["as_written"] == (
        "UBND các huyện, thành phố Long Khánh và thành phố Biên Hòa"
    )
    assert tasks["III.4.1"]["coordinate"] == ["Sở Khoa học và Công nghệ"]


def test_deadlines_and_recurrence(by_agency):
    tasks = _tasks(by_agency)
    assert (tasks["III.1.1"]["recurrence"], tasks["III.1.1"]["deadline"]) == ("once", "2025-09-30")
    assert (tasks["III.1.2"]["recurrence"], tasks["III.1.2"]["deadline"]) == ("yearly", None)
    assert tasks["III.2.1"]["deadline"] == "2025-09-30"  # "trong Quý III/2025"
    assert tasks["III.3.1"]["recurrence"] == "continuous"


def test_appendix_task_table(by_agency):
    tasks = _tasks(by_agency)
    groups = {g["code"]: g["title"] for g in by_agency.plan["task_groups"]}
    assert groups["PL1.I"] == "Nhóm nhiệm vụ về dữ liệu"
    assert groups["PL1.II"] == "Nhóm nhiệm vụ về đào tạo"
    first = tasks["PL1.I.1"]
    assert first["group"] == "PL1.I"
    assert first["text"] == (
        "Số hóa hồ sơ nhiệm vụ khoa học và công nghệ giai đoạn 2015 - 2024\nSản phẩm: Cơ sở dữ liệu nhiệm vụ"
    )
    assert first["lead"] == ["Sở Khoa học và Công nghệ"]
    assert first["coordinate"] == ["Sở Nội vụ", "Sở Thông tin và Truyền thông"]
    assert (first["recurrence"], first["deadline"]) == ("once", "2025-06-30")  # Quý II/2025
    assert tasks["PL1.I.2"]["lead"] == ["Sở Khoa học và Công nghệ"]  # "Sở KH&CN"
    assert tasks["PL1.I.2"]["deadline"] == "2025-06-30"  # "Trước 30/6/2025"
    assert (tasks["PL1.II.1"]["recurrence"], tasks["PL1.II.1"]["coordinate"]) == (
        "yearly",
        ["Các sở, ban, ngành", "UBND các huyện, thành phố"],
    )
    assert tasks["PL1.II.2"]["lead"] == ["Trường Đại học Đồng Nai", "Trường Đại học Lạc Hồng"]
    assert tasks["PL1.II.2"]["deadline"] == "2025-12-31"  # "Năm 2025"


def test_typos_are_matched_but_flagged_and_unknown_agencies_are_errors(by_agency):
    task = _tasks(by_agency)["PL1.I.2"]
    typo, unknown = task["assignments"][1], task["assignments"][2]
    assert (typo["agency"], typo["as_written"]) == ("Sở Tài chính", "Sở Tài chínhh")
    assert (unknown["agency"], unknown["group"], unknown["as_written"]) == (None, None, "Sở Du lịch")
    assert [p.message for p in by_agency.errors] == [
        "Nhiệm vụ PL1.I.2: không tìm thấy “Sở Du lịch” trong danh mục cơ quan."
    ]
    assert "Nhiệm vụ PL1.I.2: “Sở Tài chínhh” được hiểu gần đúng là “Sở Tài chính”; hãy kiểm tra." in (
        by_agency.warnings
    )


def test_targets_and_reporting_of_the_docx(by_agency):
    targets = by_agency.plan["targets"]
    assert [(t["comparator"], t["min"], t["max"], t["unit"], t["target_year"]) for t in targets] == [
        ("at_least", 100, None, "%", 2025),
        ("approximately", 80, 80, "%", 2025),
    ]
    assert by_agency.plan["reporting"][0]["due"] == "10/12"
    assert by_agency.plan["reporting"][0]["to"] == "Sở Khoa học và Công nghệ"
    assert by_agency.plan["duties"][0]["kind"] == "monitor"


# --- a numbered "1.1." plan as a PDF --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def numbered(registry_2024):
    return import_document(
        sample_bytes("synthetic_numbered.pdf"), "synthetic_numbered.pdf", registry=registry_2024
    )


def test_pdf_numbered_outline(numbered):
    plan = numbered.plan
    assert (plan["number"], plan["date"], plan["issuer"]) == (
        "901/KH-UBND",
        "2025-03-10",
        "Ủy ban nhân dân tỉnh Đồng Nai",
    )
    assert plan["references"][0]["kind"] == "based_on"
    assert plan["references"][0]["number"] == "1158/QĐ-TTg"
    assert [n["code"] for n in plan["outline"]] == [
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
        "2.2",
        "2.2.1",
        "3",
        "3.1",
        "3.2",
    ]
    assert [g["code"] for g in plan["task_groups"]] == ["2.1", "2.2"]
    tasks = _tasks(numbered)
    assert list(tasks) == ["2.1.1", "2.1.2", "2.2.1.1", "2.2.1.2", "2.2.2"]
    # "Giao X chủ trì, phối hợp với Y …"
    assert (tasks["2.1.1"]["lead"], tasks["2.1.1"]["coordinate"]) == (
        ["Sở Khoa học và Công nghệ"],
        ["Sở Tư pháp"],
    )
    assert (tasks["2.1.1"]["recurrence"], tasks["2.1.1"]["deadline"]) == ("once", "2025-06-30")
    # "X phối hợp Y …": X leads.
    assert (tasks["2.1.2"]["lead"], tasks["2.1.2"]["coordinate"]) == (
        ["Sở Tài chính"],
        ["Sở Khoa học và Công nghệ"],
    )
    assert tasks["2.1.2"]["recurrence"] == "yearly"
    # "liên quan" after the last group applies to every group before it.
    assert tasks["2.2.1.1"]["coordinate"] == [
        "Các sở, ban, ngành liên quan",
        "UBND các huyện, thành phố liên quan",
    ]
    assert tasks["2.2.1.1"]["deadline"] == "2025-06-30"  # "hoàn thành trong Quý II/2025"
    assert tasks["2.2.2"]["lead"] == ["Ban Quản lý các Khu công nghiệp Đồng Nai"]
    assert numbered.errors == []


def test_pdf_milestones_become_parts_with_their_own_years(numbered):
    targets = {t["code"]: t for t in numbered.plan["targets"]}
    inline = targets["1.2.1"]
    assert inline["comparator"] == "compound"
    assert [(p["comparator"], p["min"], p["unit"], p["target_year"]) for p in inline["parts"]] == [
        ("at_least", 30, "%", 2025),
        ("at_least", 50, "%", 2030),
    ]
    assert (targets["1.2.2"]["comparator"], targets["1.2.2"]["min"], targets["1.2.2"]["unit"]) == (
        "yearly_growth",
        15,
        "%/năm",
    )
    assert (targets["1.2.3"]["comparator"], targets["1.2.3"]["max"], targets["1.2.3"]["unit"]) == (
        "at_most",
        20,
        "tổ chức",
    )
    bullets = targets["1.2.4"]
    assert [(p["code"], p["min"], p["target_year"]) for p in bullets["parts"]] == [
        ("1.2.4.1", 10, 2027),
        ("1.2.4.2", 20, 2030),
    ]
    assert numbered.plan["reporting"][0]["due"] == "15/12"


# --- rules, one by one ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Giai đoạn 2021 - 2030 đóng góp của TFP vào tăng trưởng khoảng 62,8%.",
            ("approximately", 62.8, 62.8, "%"),
        ),
        ("Tỷ trọng đạt từ tối thiểu 45%.", ("at_least", 45, None, "%")),
        ("Đạt từ 10% - 15% giá trị sản xuất nông nghiệp.", ("range", 10, 15, "%")),
        (
            "Nhân lực có trình độ sau đại học đạt 12 người/vạn dân.",
            ("per_population", 12, None, "người/vạn dân"),
        ),
        ("Số đơn đăng ký sáng chế tăng tối thiểu 20%/năm.", ("yearly_growth", 20, None, "%/năm")),
        ("Đạt từ 10 - 15 giải thưởng quốc gia.", ("count_over_period", 10, 15, "giải thưởng")),
        ("Tỷ lệ hộ nghèo không quá 1,5%.", ("at_most", None, 1.5, "%")),
        ("Có 1.000 doanh nghiệp khoa học và công nghệ trở lên.", ("at_least", 1000, None, "doanh nghiệp")),
        ("Nâng cao nhận thức của cán bộ về đổi mới sáng tạo.", ("qualitative", None, None, "")),
    ],
)
def test_target_shapes(text, expected):
    target = parse_target("X", text, default_year=2030)
    assert (target["comparator"], target["min"], target["max"], target["unit"]) == expected
    assert target["target_year"] == 2030


def test_compound_target_splits_on_semicolons_and_between_quantities():
    target = parse_target(
        "II.2.9",
        "Ngành A quan trọng; doanh nghiệp tăng 50% về quy mô, thay thế ít nhất 50% "
        "sản phẩm nhập khẩu; đóng góp 7% vào GDP.",
        default_year=2030,
    )
    assert target["comparator"] == "compound"
    assert [(p["comparator"], p["min"]) for p in target["parts"]] == [
        ("qualitative", None),
        ("at_least", 50),
        ("at_least", 50),
        ("at_least", 7),
    ]
    assert target["parts"][1]["text"] == "Doanh nghiệp tăng 50% về quy mô"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("62,8", 62.8), ("1.000", 1000), ("1.000,5", 1000.5), ("1,5", 1.5), ("2.5", 2.5), ("x", None)],
)
def test_vietnamese_numbers(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trình UBND tỉnh trước ngày 30/6/2025.", ("once", datetime.date(2025, 6, 30))),
        ("Hoàn thành trong Quý II/2025.", ("once", datetime.date(2025, 6, 30))),
        ("Hoàn thành trong quý IV năm 2026.", ("once", datetime.date(2026, 12, 31))),
        ("Ban hành trước tháng 6/2025.", ("once", datetime.date(2025, 5, 31))),
        ("Hoàn thành trong năm 2025.", ("once", datetime.date(2025, 12, 31))),
        ("Tổ chức chợ công nghệ định kỳ hằng năm.", ("yearly", None)),
        ("Thường xuyên kiểm tra, thanh tra.", ("continuous", None)),
        # A date that is not a deadline: the decision it cites.
        ("Thực hiện Quyết định số 709/QĐ-TTg ngày 23/7/2024 đến năm 2030.", ("continuous", None)),
        ("Trước ngày 31/2/2025 (ngày không có).", ("continuous", None)),
    ],
)
def test_task_timing(text, expected):
    assert timing_from_text(text) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Quý II/2025", ("once", datetime.date(2025, 6, 30))),
        ("Trước 30/6/2025", ("once", datetime.date(2025, 6, 30))),
        ("Năm 2025", ("once", datetime.date(2025, 12, 31))),
        ("2025 - 2030", ("continuous", None)),
        ("Hằng năm", ("yearly", None)),
        ("Thường xuyên", ("continuous", None)),
        ("Khi có yêu cầu", None),
    ],
)
def test_table_timing_cells(cell, expected):
    assert timing_from_cell(cell) == expected


@pytest.mark.parametrize(
    ("name", "status", "agency"),
    [
        ("Sở Khoa học và Công nghệ", RESOLVED, "Sở Khoa học và Công nghệ"),
        ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", RESOLVED, "Sở Khoa học và Công nghệ"),
        ("So Khoa hoc va Cong nghe", RESOLVED, "Sở Khoa học và Công nghệ"),
        ("Sở KH&CN", RESOLVED, "Sở Khoa học và Công nghệ"),
        ("UBND tỉnh", RESOLVED, "Ủy ban nhân dân tỉnh Đồng Nai"),
        ("Uỷ ban nhân dân tỉnh Đồng Nai", RESOLVED, "Ủy ban nhân dân tỉnh Đồng Nai"),
        ("Sở Khoa họ và Công nghệ", FUZZY, "Sở Khoa học và Công nghệ"),
        ("Sở Du lịch", UNRESOLVED, None),
        ("Sở Ngoai vu", RESOLVED, "Sở Ngoại vụ"),
    ],
)
def test_agency_resolution(registry_2024, name, status, agency):
    match = registry_2024.resolve(name)
    assert match.status == status
    assert (match.entity.name if match.entity else None) == agency


def test_close_names_of_two_agencies_are_not_guessed(registry_2024):
    # "Sở Noai vụ" is one letter away from both "Sở Ngoại vụ" and "Sở Nội vụ": flagged, never guessed.
    match = registry_2024.resolve("Sở Noai vụ")
    assert match.status == AMBIGUOUS
    assert match.entity is None
    assert match.candidates == ["Sở Ngoại vụ", "Sở Nội vụ"]


def test_ambiguous_names_are_flagged():
    registry = Registry(
        [
            {"name": "Sở Văn hóa, Thể thao và Du lịch", "aliases": ["Sở Văn hóa"]},
            {"name": "Sở Văn hóa và Thông tin", "aliases": ["Sở Văn hóa"]},
        ],
        [],
    )
    match = registry.resolve("Sở Văn hóa")
    assert match.status == AMBIGUOUS
    assert match.candidates == ["Sở Văn hóa và Thông tin", "Sở Văn hóa, Thể thao và Du lịch"]


def test_names_are_resolved_on_the_plan_date():
    registry = Registry(
        [
            {"name": "Sở Khoa học và Công nghệ", "valid_to": datetime.date(2025, 2, 28)},
            {"name": "Sở Khoa học và Công nghệ", "valid_from": datetime.date(2025, 3, 1)},
        ],
        [],
    )
    assert registry.resolve("Sở Khoa học và Công nghệ", datetime.date(2024, 11, 16)).entity.valid_to == (
        datetime.date(2025, 2, 28)
    )


@pytest.mark.parametrize(
    ("text", "leads", "coordinates"),
    [
        (
            "Sở Khoa học và Công nghệ chủ trì, phối hợp với các cơ quan liên quan:",
            ["Sở Khoa học và Công nghệ"],
            ["các cơ quan liên quan"],
        ),
        ("Giao Sở Y tế chủ trì thực hiện.", ["Sở Y tế"], []),
        (
            "Sở Tài chính phối hợp Sở Khoa học và Công nghệ và các sở, ngành liên quan rà soát",
            ["Sở Tài chính"],
            ["Sở Khoa học và Công nghệ", "các sở, ngành liên quan"],
        ),
        (
            "Các sở, ban, ngành, UBND các huyện, thành phố bám sát mục tiêu",
            ["Các sở, ban, ngành", "UBND các huyện, thành phố"],
            [],
        ),
        ("Tăng cường sự lãnh đạo của các sở", [], []),
        (
            "Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh phối hợp tuyên truyền",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"],
            [],
        ),
        (
            "Giám đốc Sở Y tế chủ trì, phối hợp với Chủ tịch UBND các huyện, thành phố triển khai",
            ["Sở Y tế"],
            ["UBND các huyện, thành phố"],
        ),
        ("Giao cho Sở Nội vụ chủ trì thẩm định", ["Sở Nội vụ"], []),
        ("Rà soát, đề xuất HĐND, UBND tỉnh cụ thể hóa cơ chế", [], []),
    ],
)
def test_assignment_phrases(registry_2024, text, leads, coordinates):
    assign = extract_assignment(registry_2024, text)
    assert [m.as_written for m in assign.leads] == leads
    assert [m.as_written for m in assign.coordinates] == coordinates


def test_unnamed_phrase_is_kept_not_flagged(registry_2024):
    assign = extract_assignment(
        registry_2024, "Sở Y tế chủ trì, phối hợp các cơ quan, đơn vị có liên quan thực hiện"
    )
    assert [(m.status, m.as_written) for m in assign.coordinates] == [
        (UNNAMED, "các cơ quan, đơn vị có liên quan")
    ]


def test_text_without_plan_structure_is_refused(registry_2024):
    with pytest.raises(PlanImportError, match="không có cấu trúc của một kế hoạch"):
        import_document("Xin chào,\nđây là một lá thư.".encode(), "thu.txt", registry=registry_2024)


def test_source_document_lines_show_tables():
    from plantrack.plans.importing.readers import Table

    doc = SourceDocument("docx", "a.docx", ["KẾ HOẠCH", Table([["STT", "Nhiệm vụ"], ["1", "A\nB"]])])
    assert doc.lines == ["KẾ HOẠCH", "STT | Nhiệm vụ", "1 | A / B"]


def test_reporting_clause_with_the_recipient_before_the_date(registry_2024):
    text = "\n".join(
        [
            "Số: 7/KH-UBND",
            "Đồng Nai, ngày 2 tháng 1 năm 2025",
            "KẾ HOẠCH",
            "Thử nghiệm (SYNTHETIC TEST DATA)",
            "I. NHIỆM VỤ",
            "1. Sở Y tế thực hiện khám sàng lọc.",
            "II. TỔ CHỨC THỰC HIỆN",
            "1. Các sở, ban, ngành báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 20/11 hằng năm.",
        ]
    )
    result = import_document(text.encode(), "kh.txt", registry=registry_2024)
    assert result.plan["reporting"] == [
        {
            "code": "II.1",
            "who": "Các sở, ban, ngành",
            "who_groups": ["Các sở, ban, ngành"],
            "to": "Sở Khoa học và Công nghệ",
            "due": "20/11",
            "frequency": "yearly",
            "text": "Các sở, ban, ngành báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 20/11 hằng năm.",
        }
    ]
    assert result.plan["coordinator_agency"] == "Sở Khoa học và Công nghệ"
    assert _tasks(result)["I.1"]["lead"] == ["Sở Y tế"]
