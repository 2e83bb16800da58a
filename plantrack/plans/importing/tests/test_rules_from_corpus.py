"""Parsing rules added while measuring the real-plan corpus (issue 13), each shown on a small plan written for the
test (not the corpus text): web-page text, labelled assignments, commune-level groups, titles, "NỘI DUNG"."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings

from plantrack.plans.importing import Registry, import_document, pdflayout
from plantrack.plans.importing.labels import read_label
from plantrack.plans.importing.timing import timing_from_cell, timing_from_text
from plantrack.plans.importing.webtext import close_runs_at_blank_lines, looks_like_web_text, reflow_web_text

AGENCIES = Path(settings.BASE_DIR) / "plantrack" / "orgs" / "default_data" / "agencies_dong_nai_2024.json"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.from_data(json.loads(AGENCIES.read_text(encoding="utf-8")))


def _plan(text: str, registry: Registry) -> dict:
    return import_document(text.encode("utf-8"), "kh.txt", registry=registry).plan


HEADER = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
Số: 12/KH-UBND
Đồng Nai, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
TRIỂN KHAI CÔNG TÁC THỬ NGHIỆM NĂM 2026
Căn cứ Luật Thử nghiệm;
"""


# --- web-page text -------------------------------------------------------------------------------------------


def test_web_text_is_recognised_by_its_markup_not_by_plain_text():
    assert looks_like_web_text(["|", "**ỦY BAN NHÂN DÂN**", "TỈNH A", "-------", "|", "Số: 1/KH-UBND"])
    assert not looks_like_web_text(["ỦY BAN NHÂN DÂN", "TỈNH A", "Số: 1/KH-UBND", "I. MỤC ĐÍCH"])


def test_web_text_joins_broken_paragraphs_and_drops_markup():
    lines = [
        "|",
        "**ỦY BAN NHÂN DÂN**",
        "TỈNH AN GIANG",
        "-------",
        "|",
        "*An Giang, ngày 05",
        "tháng 3 năm 2026*",
        "|",
        "**I. MỤC ĐÍCH,",
        "YÊU CẦU**",
        "**1. Mục đích**",
        "Bảo đảm triển khai",
        "đồng bộ, hiệu quả.",
        "a) Nhiệm vụ: Rà soát",
        "Quy chế phối hợp.",
    ]
    out = [text for _, text in reflow_web_text(list(enumerate(lines)))]
    # A wholly bold line is a paragraph of its own (the header block keeps its two lines).
    assert out == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH AN GIANG",
        "An Giang, ngày 05 tháng 3 năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Bảo đảm triển khai đồng bộ, hiệu quả.",
        "a) Nhiệm vụ: Rà soát Quy chế phối hợp.",
    ]


def test_web_text_keeps_a_range_broken_after_its_first_number():
    out = reflow_web_text(
        [(1, "**1. Mục tiêu**"), (2, "Trong giai đoạn 2026"), (3, "- 2030 đạt 10%."), (4, "- Tổ chức")]
    )
    assert [text for _, text in out] == ["1. Mục tiêu", "Trong giai đoạn 2026 - 2030 đạt 10%.", "- Tổ chức"]


def test_web_text_keeps_the_source_line_of_each_paragraph():
    out = reflow_web_text([(10, "**II. NHIỆM"), (11, "VỤ**"), (12, "|"), (13, "- Tổ chức")])
    assert out == [(10, "II. NHIỆM VỤ"), (13, "- Tổ chức")]


def test_a_plan_saved_from_a_web_page_reads_like_the_plain_plan(registry):
    web = """|
**ỦY BAN NHÂN DÂN**
**TỈNH ĐỒNG NAI**
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
|
Số: 12/KH-UBND
|
*Đồng Nai, ngày 05
tháng 3 năm 2026*
|
**KẾ HOẠCH**
TRIỂN KHAI CÔNG TÁC
THỬ NGHIỆM NĂM 2026
Căn cứ Luật
Thử nghiệm;
**I. NHIỆM VỤ**
1. Sở Tư pháp chủ trì,
phối hợp với Sở Nội vụ rà soát quy chế.
**II. TỔ CHỨC
THỰC HIỆN**
Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    plan = _plan(web, registry)
    assert plan["number"] == "12/KH-UBND"
    assert plan["date"] == "2026-03-05"
    assert plan["title"] == "TRIỂN KHAI CÔNG TÁC THỬ NGHIỆM NĂM 2026"
    assert plan["issuer"] == "Ủy ban nhân dân tỉnh Đồng Nai"
    assert [(t["lead"], t["coordinate"]) for t in plan["tasks"]] == [(["Sở Tư pháp"], ["Sở Nội vụ"])]


# --- labelled assignments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Đơn vị chủ trì thực hiện: Sở Y tế.", ("lead", "Sở Y tế")),
        ("- Đơn vị chủ trì tham mưu thực hiện: Sở Tư pháp.", ("lead", "Sở Tư pháp")),
        ("Cơ quan chủ trì: Sở Nội vụ, Sở Tài chính.", ("lead", "Sở Nội vụ, Sở Tài chính")),
        ("Đơn vị thực hiện: Các sở, ngành.", ("lead", "Các sở, ngành")),
        (
            "Đơn vị phối hợp thực hiện: Sở Tư pháp; các cơ quan liên quan.",
            ("coordinate", "Sở Tư pháp; các cơ quan liên quan"),
        ),
        ("b) Cơ quan thực hiện:", ("holder", "")),
        ("Thời gian thực hiện: Quý II/2026.", ("timing", "Quý II/2026")),
        ("Sản phẩm: Báo cáo.", ("product", "Báo cáo")),
        ("Sở Y tế chủ trì, phối hợp với Sở Tài chính.", None),
        ("Đơn vị hành chính cấp xã: 102 đơn vị.", None),
    ],
)
def test_labels_are_read_from_the_words_before_the_colon(line, expected):
    assert read_label(line) == expected


def test_a_label_block_assigns_every_task_written_since_the_previous_block(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Tuyên truyền
- Phổ biến Luật Thử nghiệm trên báo chí.
- Tổ chức hội nghị quán triệt Luật.
Đơn vị chủ trì thực hiện: Sở Tư pháp.
Đơn vị phối hợp: Sở Nội vụ, Sở Tài chính.
Thời gian thực hiện: Quý II/2026.
- In tài liệu hỏi đáp về Luật.
Đơn vị chủ trì: Sở Nội vụ.
Thời gian thực hiện: Thường xuyên.
II. TỔ CHỨC THỰC HIỆN
Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    assert [(t["text"][:20], t["lead"], t["coordinate"]) for t in tasks] == [
        ("Phổ biến Luật Thử ng", ["Sở Tư pháp"], ["Sở Nội vụ", "Sở Tài chính"]),
        ("Tổ chức hội nghị quá", ["Sở Tư pháp"], ["Sở Nội vụ", "Sở Tài chính"]),
        ("In tài liệu hỏi đáp ", ["Sở Nội vụ"], []),
    ]
    assert [t["deadline"] for t in tasks] == ["2026-06-30", "2026-06-30", None]
    assert "Đơn vị chủ trì" not in tasks[1]["text"]


def test_task_content_and_agency_items_side_by_side(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Về dữ liệu
a) Nhiệm vụ:
- Chuẩn hóa cơ sở dữ liệu chuyên ngành.
- Kết nối dữ liệu với Trung tâm dữ liệu.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Tư pháp.
- Đơn vị phối hợp: Sở Nội vụ.
c) Thời gian thực hiện: Hoàn thành trong năm 2026.
2. Tổ chức hội nghị sơ kết
- Đơn vị chủ trì: Sở Nội vụ.
- Đơn vị phối hợp: Sở Tư pháp.
II. TỔ CHỨC THỰC HIỆN
Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    assert [(t["text"][:23], t["lead"], t["coordinate"], t["deadline"]) for t in tasks] == [
        ("Chuẩn hóa cơ sở dữ liệu", ["Sở Tư pháp"], ["Sở Nội vụ"], "2026-12-31"),
        ("Kết nối dữ liệu với Tru", ["Sở Tư pháp"], ["Sở Nội vụ"], "2026-12-31"),
        ("Tổ chức hội nghị sơ kết", ["Sở Nội vụ"], ["Sở Tư pháp"], None),
    ]


# --- groups of the two-level local government (since 1 July 2025) ---------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["UBND cấp xã", "UBND các xã, phường", "UBND xã, phường, đặc khu", "các cơ quan, đơn vị, địa phương"],
)
def test_commune_level_and_everyone_phrases_stay_one_name(registry, written):
    text = (
        HEADER
        + f"""I. NHIỆM VỤ
1. Rà soát quy chế phối hợp.
Đơn vị chủ trì: {written}.
Đơn vị phối hợp: Sở Tư pháp.
II. TỔ CHỨC THỰC HIỆN
Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    )
    plan = _plan(text, registry)
    (task,) = plan["tasks"]
    assert [a["as_written"] for a in task["assignments"] if a["role"] == "lead"] == [written]
    assert task["coordinate"] == ["Sở Tư pháp"]


# --- title and sections --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening",
    [
        "Triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;",
        "Do ảnh hưởng của mưa lũ kéo dài trên địa bàn tỉnh;",
        "Kính gửi: Hội đồng nhân dân tỉnh",
    ],
)
def test_a_title_in_capitals_ends_where_the_capitals_end(registry, opening):
    text = (
        HEADER.replace("Căn cứ Luật Thử nghiệm;\n", opening + "\n")
        + """I. NHIỆM VỤ
1. Sở Tư pháp rà soát quy chế.
"""
    )
    assert _plan(text, registry)["title"] == "TRIỂN KHAI CÔNG TÁC THỬ NGHIỆM NĂM 2026"


def test_a_noi_dung_section_holds_the_tasks(registry):
    text = (
        HEADER
        + """I. MỤC ĐÍCH, YÊU CẦU
Triển khai kịp thời.
II. NỘI DUNG
1. Phổ biến Luật Thử nghiệm
- Cơ quan chủ trì: Sở Tư pháp.
- Cơ quan phối hợp: Sở Nội vụ.
III. TỔ CHỨC THỰC HIỆN
Sở Tư pháp theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    assert [(t["text"], t["lead"], t["coordinate"]) for t in tasks] == [
        ("Phổ biến Luật Thử nghiệm", ["Sở Tư pháp"], ["Sở Nội vụ"])
    ]


def test_an_agency_label_that_is_a_sentence_assigns_like_one(registry):
    text = (
        HEADER
        + """I. NỘI DUNG HOẠT ĐỘNG
1. Truyền thông
a) Hoạt động 1
- Nội dung: Tổ chức lễ phát động Tháng hành động.
- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Y tế và các sở, ban, ngành, đoàn thể tỉnh.
b) Hoạt động 2
- Nội dung: Tuyên truyền trên báo chí.
- Cơ quan thực hiện:
+ Sở Tư pháp chủ trì, phối hợp với UBND phường, xã, đặc khu.
+ Sở Xây dựng đăng tải thông điệp trên bảng điện tử.
II. TỔ CHỨC THỰC HIỆN
Sở Nội vụ theo dõi, đôn đốc thực hiện Kế hoạch.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    written = [
        (
            [a["as_written"] for a in t["assignments"] if a["role"] == "lead"],
            [a["as_written"] for a in t["assignments"] if a["role"] == "coordinate"],
        )
        for t in tasks
    ]
    assert written == [
        (["Sở Nội vụ"], ["Sở Y tế", "các sở, ban, ngành, đoàn thể tỉnh"]),
        (["Sở Tư pháp", "Sở Xây dựng"], ["UBND phường, xã, đặc khu"]),
    ]


def test_a_bank_branch_is_a_name_of_its_own(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Hỗ trợ vay vốn tạo việc làm.
Cơ quan chủ trì: Sở Nội vụ.
Cơ quan phối hợp: Chi nhánh Ngân hàng Chính sách xã hội tỉnh, Sở Tài chính.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert [a["as_written"] for a in task["assignments"] if a["role"] == "coordinate"] == [
        "Chi nhánh Ngân hàng Chính sách xã hội tỉnh",
        "Sở Tài chính",
    ]


def test_phoi_hop_chat_che_voi_names_the_coordinators(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Tư pháp
- Phối hợp chặt chẽ với Sở Nội vụ kịp thời tham mưu sửa đổi quy định.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert (task["lead"], task["coordinate"]) == (["Sở Tư pháp"], ["Sở Nội vụ"])


def test_a_request_to_a_body_outside_the_registry_names_it_as_lead(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Đề nghị Trung tâm Lưu trữ Quốc gia III hỗ trợ số hóa hồ sơ.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert [a["as_written"] for a in task["assignments"] if a["role"] == "lead"] == [
        "Trung tâm Lưu trữ Quốc gia III"
    ]


# --- second round: a closing section organised by agency, subjects and lists of real plans -------------------


def _written(task: dict, role: str) -> list[str]:
    return [a["as_written"] for a in task["assignments"] if a["role"] == role]


def test_a_closing_section_organised_by_agency_gives_that_agencys_tasks(registry):
    text = (
        HEADER
        + """I. NỘI DUNG
1. Rà soát quy chế thử nghiệm.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp
- Chủ trì hướng dẫn các đơn vị thử nghiệm.
- Tổng hợp kết quả thử nghiệm.
2. Sở Tài chính
Căn cứ chức năng, nhiệm vụ, phối hợp với Sở Nội vụ bố trí kinh phí.
3. Ủy ban nhân dân cấp xã:
Tổ chức thử nghiệm trên địa bàn.
4. Căn cứ Kế hoạch này, các đơn vị xây dựng kế hoạch chi tiết.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    assert [(t["text"].split()[0], _written(t, "lead"), _written(t, "coordinate")) for t in tasks] == [
        ("Rà", [], []),
        ("Chủ", ["Sở Tư pháp"], []),
        ("Tổng", ["Sở Tư pháp"], []),
        ("Căn", ["Sở Tài chính"], ["Sở Nội vụ"]),
        ("Tổ", ["Ủy ban nhân dân cấp xã"], []),
    ]


def test_an_organisation_item_that_is_a_sentence_stays_a_duty(registry):
    text = (
        HEADER + "I. NỘI DUNG\n1. Rà soát quy chế.\nII. TỔ CHỨC THỰC HIỆN\n1. Sở Tư pháp theo dõi, đôn đốc.\n"
    )
    plan = _plan(text, registry)
    assert len(plan["tasks"]) == 1
    assert [d["who"] for d in plan["duties"]] == ["Sở Tư pháp"]


def test_a_front_and_the_mass_organisations_are_two_leads(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các đoàn thể
- Vận động Nhân dân tham gia.
2. Hội Người mù Thành phố và các tổ chức thành viên của Mặt trận
- Tuyên truyền sâu rộng.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các đoàn thể"]
    assert _written(second, "lead") == ["Hội Người mù Thành phố", "các tổ chức thành viên của Mặt trận"]


def test_bodies_named_after_the_lead_in_the_next_clause_coordinate(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Phổ biến Luật Thử nghiệm.
- Cơ quan thực hiện: Sở Tư pháp chủ trì tham mưu kế hoạch; Sở Nội vụ, Đài Phát thanh và Truyền hình Thành phố và Ủy ban nhân dân xã, phường chủ động tổ chức triển khai.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert _written(task, "lead") == ["Sở Tư pháp"]
    assert _written(task, "coordinate") == [
        "Sở Nội vụ",
        "Đài Phát thanh và Truyền hình Thành phố",
        "Ủy ban nhân dân xã, phường",
    ]


def test_the_subject_of_the_paragraph_under_a_task_heading_leads_it(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Xây dựng quy định chi tiết Luật Thử nghiệm
Sở, ban, ngành thuộc Ủy ban nhân dân tỉnh có trách nhiệm rà soát, tham mưu ban hành.
2. Kiểm tra việc thi hành Luật Thử nghiệm
- Cơ quan thực hiện: Sở Tư pháp, các sở, ban, ngành tỉnh trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan, tổ chức khác có liên quan.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == ["Sở, ban, ngành thuộc Ủy ban nhân dân tỉnh"]
    assert _written(second, "lead") == [
        "Sở Tư pháp",
        "các sở, ban, ngành tỉnh",
        "các cơ quan, tổ chức khác có liên quan",
    ]


def test_a_note_in_brackets_does_not_end_a_list_of_names(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Hỗ trợ tìm việc làm.
- Cơ quan chủ trì: Sở Nội vụ.
- Cơ quan phối hợp: Trung tâm Dịch vụ việc làm tỉnh (Sở Nội vụ), Sở Tài chính và các cơ quan, đơn vị có liên quan.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert _written(task, "coordinate") == [
        "Trung tâm Dịch vụ việc làm tỉnh",
        "Sở Tài chính",
        "các cơ quan, đơn vị có liên quan",
    ]


def test_web_text_joins_a_heading_set_as_two_bold_runs_and_splits_a_heading_from_its_text():
    out = reflow_web_text(
        [
            (1, "**3. Đề nghị Ủy ban Mặt trận Tổ quốc, Hội Liên hiệp**"),
            (2, ""),
            (3, "**Phụ nữ tỉnh**"),
            (4, "- Vận động hội viên."),
            (5, "**4. Xây dựng quy định** Sở Tư pháp có trách nhiệm rà soát."),
            (6, "**1.** Tổ chức rà soát."),
        ]
    )
    assert [text for _, text in out] == [
        "3. Đề nghị Ủy ban Mặt trận Tổ quốc, Hội Liên hiệp Phụ nữ tỉnh",
        "- Vận động hội viên.",
        "4. Xây dựng quy định",
        "Sở Tư pháp có trách nhiệm rà soát.",
        "1. Tổ chức rà soát.",
    ]


def test_a_long_request_names_each_body_including_lower_case_names(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Đề nghị Văn phòng Tỉnh ủy và các Ban Xây dựng Đảng, Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh, Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh, Thuế tỉnh, Kho bạc nhà nước khu vực IV, Ngân hàng nhà nước khu vực 3 tăng cường công tác bảo mật.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert _written(task, "lead") == [
        "Văn phòng Tỉnh ủy",
        "các Ban Xây dựng Đảng",
        "Văn phòng Đoàn đại biểu Quốc hội và HĐND tỉnh",
        "Viện kiểm sát nhân dân tỉnh",
        "Tòa án nhân dân tỉnh",
        "Thuế tỉnh",
        "Kho bạc nhà nước khu vực IV",
        "Ngân hàng nhà nước khu vực 3",
    ]


def test_a_capitalised_word_after_a_verb_keeps_the_verb_a_verb_only_in_lower_case(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Văn hóa chủ trì, phối hợp với Đài Phát thanh và Truyền hình Thành phố và Sở Nội vụ tuyên truyền.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert _written(task, "coordinate") == ["Đài Phát thanh và Truyền hình Thành phố", "Sở Nội vụ"]


def test_agency_headings_over_letter_items_and_titles_naming_who(registry):
    text = (
        HEADER
        + """I. NỘI DUNG
1. Rà soát quy chế thử nghiệm.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tư pháp
a) Là cơ quan đầu mối, chủ trì, phối hợp với các cơ quan, đơn vị, địa phương tham mưu triển khai.
b) Định kỳ tổng hợp kết quả.
2. Các sở, ngành chủ trì, quản lý các dự án thử nghiệm
- Phê duyệt kế hoạch thử nghiệm.
3. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Liên minh Hợp tác xã tỉnh
- Vận động hội viên tham gia.
4. Các doanh nghiệp viễn thông trên địa bàn
- Phối hợp với các đơn vị điện lực trên địa bàn tỉnh và các cơ quan, đơn vị chức năng lắp đặt trạm.
"""
    )
    tasks = _plan(text, registry)["tasks"][1:]
    assert [(_written(t, "lead"), _written(t, "coordinate")) for t in tasks] == [
        (["Sở Tư pháp"], ["các cơ quan, đơn vị, địa phương"]),
        (["Sở Tư pháp"], []),
        (["Các sở, ngành"], []),
        (["Hiệp hội Doanh nghiệp tỉnh", "Liên minh Hợp tác xã tỉnh"], []),
        (
            ["Các doanh nghiệp viễn thông trên địa bàn"],
            ["các đơn vị điện lực trên địa bàn tỉnh", "các cơ quan, đơn vị chức năng"],
        ),
    ]


def test_a_kind_of_bodies_stops_at_the_verb(registry):
    text = HEADER + "I. NHIỆM VỤ\n1. Các đơn vị xây dựng kế hoạch thử nghiệm.\n"
    (task,) = _plan(text, registry)["tasks"]
    assert task["assignments"] == []


def test_the_merged_provincial_press_is_one_name(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch; Báo và Phát thanh, Truyền hình Bình An
- Tăng thời lượng tuyên truyền.
2. Sở, ban, ngành liên quan
- Căn cứ theo chức năng, nhiệm vụ, quyền hạn được giao, chủ động phối hợp với Sở Y tế triển khai.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == [
        "Sở Văn hóa, Thể thao và Du lịch",
        "Báo và Phát thanh, Truyền hình Bình An",
    ]
    assert _written(second, "coordinate") == ["Sở Y tế"]


def test_bodies_after_phoi_hop_inside_a_task_coordinate_it(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Y tế:
- Bố trí các đội y tế lưu động phối hợp UBND các xã, phường cấp phát thuốc; phối hợp chính quyền địa phương, Mặt trận cơ sở và các đoàn thể giám sát dịch bệnh.
2. Cổng Thông tin điện tử tỉnh và hệ thống truyền thanh cơ sở:
- Tuyên truyền lịch cấp phát.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "coordinate") == [
        "UBND các xã, phường",
        "chính quyền địa phương",
        "Mặt trận cơ sở",
        "các đoàn thể",
    ]
    assert _written(second, "lead") == ["Cổng Thông tin điện tử tỉnh", "hệ thống truyền thanh cơ sở"]


def test_a_task_with_labelled_coordinators_keeps_only_those(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Tham mưu UBND tỉnh phối hợp với Bộ Công an rà soát chiến lược dữ liệu.
- Đơn vị chủ trì: Sở Tư pháp.
- Đơn vị phối hợp: Sở Nội vụ.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert _written(task, "coordinate") == ["Sở Nội vụ"]


def test_an_agency_item_written_on_one_line_is_that_agencys_task(registry):
    text = (
        HEADER
        + """I. NỘI DUNG
1. Rà soát quy chế thử nghiệm.
II. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ: Chủ trì, phối hợp với Sở Nội vụ, Tạp chí Khoa học tỉnh tổ chức hội thảo.
2. Sở Tư pháp: Định kỳ báo cáo kết quả về Sở Nội vụ trước ngày 15/12 hằng năm.
"""
    )
    plan = _plan(text, registry)
    task = plan["tasks"][1]
    assert task["text"].startswith("Chủ trì, phối hợp")
    assert (_written(task, "lead"), _written(task, "coordinate")) == (
        ["Sở Khoa học và Công nghệ"],
        ["Sở Nội vụ", "Tạp chí Khoa học tỉnh"],
    )
    # A reporting rule stays a reporting rule.
    assert len(plan["tasks"]) == 2 and plan["reporting"]


def test_an_activities_section_holds_tasks_and_a_draft_title_ends_before_its_preamble(registry):
    text = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
Số: /KH-UBND
Đồng Nai, ngày tháng năm 2026
KẾ HOẠCH
Tuyên truyền thử nghiệm năm 2026
Tiếp tục thực hiện Nghị quyết số 76/NQ-CP, UBND tỉnh ban hành Kế hoạch như sau:
I. MỤC ĐÍCH
Nâng cao nhận thức.
II. MỘT SỐ HOẠT ĐỘNG TRỌNG TÂM
1. Sở Nội vụ chủ trì tổ chức cuộc thi.
"""
    plan = _plan(text, registry)
    assert plan["title"] == "Tuyên truyền thử nghiệm năm 2026"
    assert (plan["number"], plan["date"]) == ("", None)
    assert [t["lead"] for t in plan["tasks"]] == [["Sở Nội vụ"]]


def test_a_commune_committee_and_a_responsibility_column_name_the_lead():
    from plantrack.plans.importing.readers import Table
    from plantrack.plans.importing.tables import find_task_table

    table = Table(
        rows=[
            ["TT", "Nội dung", "Trách nhiệm\nthực hiện", "Thời gian"],
            ["1", "Đối thoại về thủ tục hành chính", "Lãnh đạo\nSở Y tế", "Tháng 3"],
        ]
    )
    assert find_task_table(table) is not None


def test_a_commune_committee_is_one_name_and_related_applies_to_commune_groups(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. UBND phường Xuân Hòa - Bình An chủ trì, phối hợp với UBND Phường 3 Bình An tổ chức đối thoại.
2. Sở Tư pháp
- Hướng dẫn, phối hợp với các sở, ngành, UBND các xã, phường, đặc khu liên quan xây dựng kịch bản.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert (_written(first, "lead"), _written(first, "coordinate")) == (
        ["UBND phường Xuân Hòa - Bình An"],
        ["UBND Phường 3 Bình An"],
    )
    assert _written(second, "coordinate") == [
        "các sở, ngành liên quan",
        "UBND các xã, phường, đặc khu liên quan",
    ]


def test_web_text_joins_a_number_or_a_marker_written_on_the_next_line():
    out = reflow_web_text(
        [(1, "|"), (2, "Số:"), (3, "12/KH-UBND"), (4, "|"), (5, "**6**."), (6, "Tổ chức hội nghị")]
    )
    assert [text for _, text in out] == ["Số: 12/KH-UBND", "6. Tổ chức hội nghị"]


def test_each_clause_of_a_labelled_sentence_without_a_lead_names_its_own_lead(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Rà soát văn bản
- Cơ quan thực hiện: Sở Tư pháp rà soát văn bản của tỉnh; các sở, ngành liên quan và Ủy ban nhân dân các xã, phường rà soát văn bản do mình ban hành.
2. Phổ biến Luật
- Cơ quan thực hiện: Sở Tư pháp; Báo và Phát thanh Truyền hình Bình An và các sở, ngành có liên quan.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == [
        "Sở Tư pháp",
        "các sở, ngành liên quan",
        "Ủy ban nhân dân các xã, phường",
    ]
    # "có liên quan" restricts the groups before it, not a body's name.
    assert _written(second, "lead") == [
        "Sở Tư pháp",
        "Báo và Phát thanh Truyền hình Bình An",
        "các sở, ngành có liên quan",
    ]


def test_a_national_plan_names_ministries_and_the_central_groups(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Phổ biến Luật Thử nghiệm
- Cơ quan thực hiện: Bộ Tư pháp, Bộ Văn hóa, Thể thao và Du lịch, Thông tấn xã Việt Nam và các cơ quan báo chí, phát thanh, truyền hình khác.
- Cơ quan phối hợp: các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ và Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.
2. Rà soát văn bản
- Cơ quan thực hiện: Bộ Tư pháp tiến hành rà soát văn bản.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == [
        "Bộ Tư pháp",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Thông tấn xã Việt Nam",
        "các cơ quan báo chí, phát thanh, truyền hình khác",
    ]
    assert _written(first, "coordinate") == [
        "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương",
    ]
    assert _written(second, "lead") == ["Bộ Tư pháp"]


def test_bodies_in_brackets_after_a_generic_phrase_are_named(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Tư pháp
- Phối hợp chặt chẽ với các nhà mạng (Viettel Bình An, VNPT Bình An) để xây dựng lộ trình.
- Đề nghị các doanh nghiệp viễn thông (VNPT, Viettel và doanh nghiệp khác) bảo đảm thông tin.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "coordinate") == ["Viettel Bình An", "VNPT Bình An"]
    assert _written(second, "lead") == ["các doanh nghiệp viễn thông"]


# --- plans of a department or a ministry; reporting written as the section's own paragraph (h-corpus4) --------

DEPARTMENT_HEADER = """UBND TỈNH ĐỒNG NAI
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 215/KH-SKHCN
Đồng Nai, ngày 10 tháng 3 năm 2023
KẾ HOẠCH
Ứng dụng công nghệ thông tin năm 2023
"""

MINISTRY_HEADER = """BỘ KHOA HỌC VÀ CÔNG NGHỆ
Số: 12/KH-BKHCN
Hà Nội, ngày 10 tháng 3 năm 2024
KẾ HOẠCH
Triển khai chuyển đổi số năm 2024
"""


def test_a_unit_of_the_department_named_as_subject_leads_its_task(registry):
    text = (
        DEPARTMENT_HEADER
        + """I. NHIỆM VỤ
1. Nâng cấp cổng thông tin điện tử của Sở.
2. Phòng Quản lý công nghệ chủ trì, phối hợp với Văn phòng Sở tổ chức tập huấn.
"""
    )
    own, unit = _plan(text, registry)["tasks"]
    assert _written(own, "lead") == ["Sở Khoa học và Công nghệ"]
    assert _written(unit, "lead") == ["Phòng Quản lý công nghệ"]
    assert _written(unit, "coordinate") == ["Văn phòng Sở"]


def test_the_phrase_phong_chong_is_not_a_unit(registry):
    text = (
        DEPARTMENT_HEADER
        + """I. NHIỆM VỤ
1. Phòng, chống tác hại của thuốc lá tại cơ quan.
2. Phòng chống cháy nổ tại trụ sở.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "lead") == _written(second, "lead") == ["Sở Khoa học và Công nghệ"]


def test_a_ministry_plan_gives_unassigned_tasks_to_the_ministry_and_reads_its_vu_and_cuc(registry):
    text = (
        MINISTRY_HEADER
        + """I. NHIỆM VỤ
1. Cục Thông tin khoa học và công nghệ quốc gia chủ trì, phối hợp với Vụ Kế hoạch - Tài chính xây dựng cơ sở dữ liệu.
2. Xây dựng quy chế quản lý dữ liệu.
"""
    )
    plan = _plan(text, registry)
    first, second = plan["tasks"]
    assert _written(first, "lead") == ["Cục Thông tin khoa học và công nghệ quốc gia"]
    assert _written(first, "coordinate") == ["Vụ Kế hoạch - Tài chính"]
    assert _written(second, "lead") == ["Bộ Khoa học và Công nghệ"]


def test_a_government_plan_does_not_give_unassigned_tasks_to_the_prime_minister(registry):
    text = """THỦ TƯỚNG CHÍNH PHỦ
Số: 12/QĐ-TTg
Hà Nội, ngày 10 tháng 3 năm 2024
KẾ HOẠCH
Triển khai Luật Thử nghiệm
I. NHIỆM VỤ
1. Xây dựng quy chế quản lý dữ liệu.
"""
    (task,) = _plan(text, registry)["tasks"]
    assert task["lead"] == []


def test_reporting_written_as_the_organisation_sections_own_paragraph_gives_its_periods(registry):
    text = (
        DEPARTMENT_HEADER
        + """I. NHIỆM VỤ
1. Nâng cấp cổng thông tin điện tử của Sở.
II. TỔ CHỨC THỰC HIỆN
Các phòng báo cáo kết quả định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) về Văn phòng Sở.
"""
    )
    plan = _plan(text, registry)
    assert plan["reporting_regimes"] == [
        {"period": "half_yearly", "due_day": 15, "due_month": 6},
        {"period": "yearly", "due_day": 15, "due_month": 12},
    ]
    assert [row["who"] for row in plan["reporting"]] == ["Các phòng"]


def test_an_organisation_item_whose_sentence_names_its_subject_gives_its_own_task_and_its_dashes(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Rà soát văn bản.
II. TỔ CHỨC THỰC HIỆN
1. Các cơ quan, đơn vị, địa phương, doanh nghiệp căn cứ chức năng, nhiệm vụ được giao xây dựng kế hoạch thực hiện.
- Giới thiệu điển hình tiên tiến để tuyên truyền.
- Khen thưởng theo thẩm quyền các tập thể có thành tích.
2. Sở Nội vụ
- Tham mưu tổng kết đợt thi đua.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    by_text = {t["text"].split()[0]: t for t in tasks}
    for first_word in ("Các", "Giới", "Khen"):
        assert _written(by_text[first_word], "lead") == ["Các cơ quan, đơn vị, địa phương, doanh nghiệp"]
    assert _written(by_text["Tham"], "lead") == ["Sở Nội vụ"]


def test_a_request_to_party_committees_and_the_front_names_them_as_leads(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Rà soát văn bản.
II. TỔ CHỨC THỰC HIỆN
1. Đề nghị các cấp ủy Đảng, Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh: Phối hợp chặt chẽ với chính quyền các cấp tuyên truyền, vận động Nhân dân.
"""
    )
    (task,) = [t for t in _plan(text, registry)["tasks"] if t["text"].startswith("Phối hợp")]
    assert _written(task, "lead") == [
        "các cấp ủy Đảng",
        "Mặt trận Tổ quốc Việt Nam tỉnh",
        "các tổ chức chính trị - xã hội tỉnh",
    ]


def test_the_merged_party_board_keeps_its_whole_name_giao_is_not_the_verb_giao(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Sở Văn hóa, Thể thao và Du lịch phối hợp với Ban Tuyên giáo và Dân vận Tỉnh ủy chỉ đạo các cơ quan báo chí tuyên truyền.
2. Sở Nội vụ chủ trì, phối hợp với cấp ủy, chính quyền các cấp giao chỉ tiêu thi đua.
"""
    )
    first, second = _plan(text, registry)["tasks"]
    assert _written(first, "coordinate") == ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]
    assert _written(second, "coordinate") == ["cấp ủy", "chính quyền các cấp"]


# --- names of bodies merged in 2025 --------------------------------------------------------------------------


def _merged_registry() -> Registry:
    return Registry.from_data(
        {
            "agencies": [
                {"name": "Ủy ban nhân dân tỉnh Đồng Nai", "kind": "provincial_committee"},
                {"name": "Sở Thông tin và Truyền thông", "kind": "department", "valid_to": "2025-02-28"},
                {"name": "Sở Khoa học và Công nghệ", "kind": "department"},
            ],
            "groups": [],
            "changes": [
                {
                    "kind": "merge_into",
                    "effective_date": "2025-03-01",
                    "predecessors": ["Sở Thông tin và Truyền thông"],
                    "successors": ["Sở Khoa học và Công nghệ"],
                }
            ],
        }
    )


def _merged_plan(year: int) -> dict:
    text = f"""ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
Số: 12/KH-UBND
Đồng Nai, ngày 05 tháng 3 năm {year}
KẾ HOẠCH
Chuyển đổi số năm {year}
I. NHIỆM VỤ
1. Sở Thông tin và Truyền thông chủ trì triển khai chữ ký số.
"""
    return import_document(text.encode("utf-8"), "kh.txt", registry=_merged_registry())


def test_a_body_merged_in_2025_named_in_a_later_plan_resolves_to_its_successor_with_a_warning():
    result = _merged_plan(2026)
    (task,) = result.plan["tasks"]
    (lead,) = [a for a in task["assignments"] if a["role"] == "lead"]
    assert lead["as_written"] == "Sở Thông tin và Truyền thông"
    assert task["lead"] == ["Sở Khoa học và Công nghệ"]
    assert any("Sở Khoa học và Công nghệ" in p.message and p.severity == "warning" for p in result.problems)


def test_a_body_merged_in_2025_named_in_an_earlier_plan_is_that_body():
    (task,) = _merged_plan(2021).plan["tasks"]
    assert task["lead"] == ["Sở Thông tin và Truyền thông"]


def test_a_departments_own_plan_is_followed_up_by_the_department_when_no_one_else_is_named(registry):
    text = (
        DEPARTMENT_HEADER
        + """I. NHIỆM VỤ
1. Nâng cấp cổng thông tin điện tử của Sở.
II. TỔ CHỨC THỰC HIỆN
1. Các phòng triển khai thực hiện Kế hoạch này.
"""
    )
    result = import_document(text.encode("utf-8"), "kh.txt", registry=registry)
    assert result.plan["coordinator_agency"] == "Sở Khoa học và Công nghệ"
    assert not [p for p in result.problems if p.path == "coordinator_agency" and p.severity == "error"]
    # Its office named as following the plan up is the coordinator (a unit proposed under the department).
    text = text.replace(
        "Các phòng triển khai thực hiện", "Văn phòng Sở theo dõi, đôn đốc các phòng thực hiện"
    )
    result = import_document(text.encode("utf-8"), "kh.txt", registry=registry)
    assert result.plan["coordinator_agency"] == "Văn phòng Sở Khoa học và Công nghệ"


def test_a_peoples_committee_plan_without_a_follow_up_body_still_asks_for_one(registry):
    text = HEADER + "I. NHIỆM VỤ\n1. Sở Tư pháp rà soát văn bản.\n"
    result = import_document(text.encode("utf-8"), "kh.txt", registry=registry)
    assert result.plan["coordinator_agency"] is None
    assert [p for p in result.problems if p.path == "coordinator_agency" and p.severity == "error"]


# --- cells of a programme table (Lâm Đồng's administrative-reform plan) --------------------------------------


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        # "as assigned by Decision …" names no one.
        ("Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh", []),
        ("Cơ quan, địa phương có liên quan", ["Cơ quan, địa phương có liên quan"]),
        (
            "Các cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước",
            ["Các cơ quan, đơn vị trực tiếp sử dụng ngân sách nhà nước"],
        ),
        (
            "Các sở, ban, ngành, địa phương; Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh",
            ["Các sở, ban, ngành", "địa phương", "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
        ),
        (
            "Sở Tư pháp, Văn phòng UBND tỉnh, Công an tỉnh",
            ["Sở Tư pháp", "Văn phòng UBND tỉnh", "Công an tỉnh"],
        ),
        ("Sở Tư pháp, các cơ quan liên quan", ["Sở Tư pháp", "các cơ quan liên quan"]),
        # A note in brackets after a name is not another body; "và" before a name ends an unknown one.
        ("Văn phòng UBND tỉnh (Trung tâm Thông tin)", ["Văn phòng UBND tỉnh"]),
        (
            "Cơ quan thuế, các đơn vị cấp tỉnh và các địa phương",
            ["Cơ quan thuế", "các đơn vị cấp tỉnh", "các địa phương"],
        ),
    ],
)
def test_names_in_programme_table_cells(registry, cell, leads):
    from plantrack.plans.importing.parser import parse_plan
    from plantrack.plans.importing.readers import SourceDocument, Table

    table = Table(
        [["TT", "Nhiệm vụ", "Chủ trì thực hiện", "Phối hợp thực hiện"], ["1", "Rà soát văn bản", cell, ""]]
    )
    source = SourceDocument(
        "docx", "x.docx", ["Số: 1/KH-UBND", "Đồng Nai, ngày 1 tháng 2 năm 2026", "I. X", table]
    )
    (task,) = parse_plan(source, registry).plan["tasks"]
    assert _written(task, "lead") == leads


def test_a_ministrys_own_units_are_proposed_under_the_ministry_not_errors(registry):
    text = (
        MINISTRY_HEADER
        + """I. NHIỆM VỤ
1. Cục Thông tin khoa học và công nghệ quốc gia chủ trì, phối hợp với Văn phòng Bộ xây dựng cơ sở dữ liệu.
2. Thanh tra Bộ kiểm tra việc thực hiện; các Sở Khoa học và Công nghệ phối hợp.
"""
    )
    result = import_document(text.encode("utf-8"), "kh.txt", registry=registry)
    proposed = {row["name"]: row for row in result.plan.get("proposed_agencies", [])}
    assert proposed["Cục Thông tin khoa học và công nghệ quốc gia"]["parent"] == "Bộ Khoa học và Công nghệ"
    assert proposed["Văn phòng Bộ Khoa học và Công nghệ"]["parent"] == "Bộ Khoa học và Công nghệ"
    assert "Thanh tra Bộ Khoa học và Công nghệ" in proposed
    errors = [p for p in result.problems if p.severity == "error" and p.path.startswith("tasks")]
    assert errors == []


def test_a_departments_own_units_are_proposed_under_the_department_other_bodies_stay_errors(registry):
    text = (
        DEPARTMENT_HEADER
        + """I. NHIỆM VỤ
1. Phòng Quản lý công nghệ chủ trì, phối hợp với Văn phòng Sở tổ chức tập huấn.
2. Sở Du lịch Biển Xanh phối hợp tổ chức hội chợ.
"""
    )
    result = import_document(text.encode("utf-8"), "kh.txt", registry=registry)
    proposed = {row["name"]: row for row in result.plan.get("proposed_agencies", [])}
    assert proposed["Phòng Quản lý công nghệ"]["parent"] == "Sở Khoa học và Công nghệ"
    assert proposed["Văn phòng Sở Khoa học và Công nghệ"]["parent"] == "Sở Khoa học và Công nghệ"
    assert "Sở Du lịch Biển Xanh" not in proposed
    assert [p.path for p in result.problems if p.severity == "error" and p.path.startswith("tasks")] == [
        "tasks.1.assignments.0"
    ]


def test_an_objectives_item_inside_a_purpose_section_gives_targets(registry):
    text = (
        HEADER
        + """I. QUAN ĐIỂM, MỤC TIÊU, YÊU CẦU
1. Quan điểm
Lấy người dân, doanh nghiệp làm trung tâm phục vụ.
2. Mục tiêu đến năm 2030
- Mức độ hài lòng của người dân đạt tối thiểu 95%.
- 100% thủ tục hành chính được công bố, công khai đúng quy định.
3. Yêu cầu
a) Triển khai đồng bộ, toàn diện, đạt 100% kế hoạch.
II. NHIỆM VỤ
1. Sở Nội vụ rà soát thủ tục.
"""
    )
    targets = _plan(text, registry)["targets"]
    assert [(t["comparator"], t["min"], t["target_year"]) for t in targets] == [
        ("at_least", 95, 2030),
        ("at_least", 100, 2030),
    ]


# --- plans of other issuers and years (h-corpus5) --------------------------------------------------------------


def test_a_markdown_pipe_table_header_is_read_cell_by_cell(registry):
    text = """| ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |
|---|---|
| Số: 31/KH-UBND | Hòa Bình, ngày 09 tháng 3 năm 2021 |

KẾ HOẠCH

THỬ NGHIỆM BẢNG TIÊU ĐỀ

I. NHIỆM VỤ

1. Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ rà soát văn bản.
"""
    plan = _plan(text, registry)
    assert (plan["issuer"], plan["number"], plan["date"], plan["title"]) == (
        "UBND tỉnh Hòa Bình",
        "31/KH-UBND",
        "2021-03-09",
        "THỬ NGHIỆM BẢNG TIÊU ĐỀ",
    )


def test_a_plan_issued_with_a_decision_keeps_its_title_without_the_attached_note(registry):
    text = (
        HEADER.replace("KẾ HOẠCH\nTRIỂN KHAI CÔNG TÁC THỬ NGHIỆM NĂM 2026\n", "")
        + """QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thử nghiệm.
KẾ HOẠCH
THỰC HIỆN CÔNG TÁC THỬ NGHIỆM NĂM 2026 (Kèm theo Quyết định số 12/QĐ-UBND ngày 05/3/2026 của Chủ tịch UBND tỉnh)
I. NHIỆM VỤ
1. Sở Tư pháp rà soát văn bản.
"""
    )
    assert _plan(text, registry)["title"] == "THỰC HIỆN CÔNG TÁC THỬ NGHIỆM NĂM 2026"


def test_letters_spaced_apart_in_the_header_are_joined_with_the_words_of_the_text(registry):
    text = """ỦY B AN NHÂN D Â N T HÀNH P HỐ H Ả I P H Ò NG
Số: 7/KH - UBND
T hành phố Hải P hòng, ngày 02 tháng 4 năm 2014
KẾ HOẠCH
THỬ NGHIỆM CHỮ CÁCH
Căn cứ Quyết định của Ủy ban nhân dân thành phố Hải Phòng về việc thử nghiệm chữ cách trên địa bàn thành phố;
I. NHIỆM VỤ
1. Sở Tư pháp rà soát văn bản.
"""
    plan = _plan(text, registry)
    assert (plan["issuer"], plan["number"], plan["date"]) == (
        "UBND thành phố Hải Phòng",
        "7/KH-UBND",
        "2014-04-02",
    )


def test_a_national_steering_committee_is_a_central_body_not_one_of_the_place():
    from plantrack.plans.importing.proposals import guess_kind

    assert guess_kind("Ban Chỉ đạo quốc gia về phòng, chống thiên tai") == "central"
    assert guess_kind("Ban Chỉ đạo Trung ương về tiết kiệm") == "central"
    assert guess_kind("Ban Quản lý dự án tỉnh") == "department"


def test_parts_a_b_over_roman_sections_and_sibling_items_naming_who_leads(registry):
    text = """BAN CHỈ ĐẠO QUỐC GIA VỀ THỬ NGHIỆM
Số: 5/KH-BCĐ
Hà Nội, ngày 11 tháng 11 năm 2013
KẾ HOẠCH
THỬ NGHIỆM CÁC PHẦN
Căn cứ Quyết định số 1/QĐ-TTg;
A. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Thống nhất thực hiện.
B. NỘI DUNG, NHIỆM VỤ
I. CÔNG TÁC QUÁN TRIỆT
1. Nội dung, biện pháp
a) Tổ chức hội nghị quán triệt;
b) Biên soạn tài liệu.
2. Cơ quan chủ trì, phối hợp
a) Cơ quan chủ trì
- Bộ Quốc phòng.
- Các Bộ, ngành liên quan.
b) Cơ quan phối hợp
- Bộ Ngoại giao.
3. Thời gian thực hiện: Tháng 12/2013.
II. KIỆN TOÀN TỔ CHỨC
1. Nội dung, biện pháp
a) Thành lập các đội chuyên trách.
2. Chủ trì thực hiện
- Tư lệnh các quân khu; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
3. Thời gian thực hiện: Năm 2014.
C. TỔ CHỨC THỰC HIỆN
1. Trách nhiệm của các Bộ, ngành, địa phương
Xây dựng kế hoạch triển khai; phối hợp với Bộ Quốc phòng đôn đốc, kiểm tra việc thực hiện.
"""
    plan = _plan(text, registry)
    written = [
        (
            t["text"],
            [a["as_written"] for a in t["assignments"] if a["role"] == "lead"],
            [a["as_written"] for a in t["assignments"] if a["role"] == "coordinate"],
        )
        for t in plan["tasks"]
    ]
    assert written == [
        ("Tổ chức hội nghị quán triệt;", ["Bộ Quốc phòng", "Các Bộ, ngành liên quan"], ["Bộ Ngoại giao"]),
        ("Biên soạn tài liệu.", ["Bộ Quốc phòng", "Các Bộ, ngành liên quan"], ["Bộ Ngoại giao"]),
        (
            "Thành lập các đội chuyên trách.",
            ["các quân khu", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
            [],
        ),
        (
            "Xây dựng kế hoạch triển khai; phối hợp với Bộ Quốc phòng đôn đốc, kiểm tra việc thực hiện.",
            ["các Bộ, ngành, địa phương"],
            ["Bộ Quốc phòng"],
        ),
    ]
    assert plan["issuer"] == "Ban Chỉ đạo quốc gia về thử nghiệm"


def test_a_subject_group_of_departments_directly_under_the_committee_lists_on_after_a_semicolon(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Các sở, ban, ngành trực thuộc UBND tỉnh; UBND các huyện, thành phố tiếp tục tuyên truyền pháp luật.
"""
    )
    task = _plan(text, registry)["tasks"][0]
    assert [a["as_written"] for a in task["assignments"] if a["role"] == "lead"] == [
        "Các sở, ban, ngành trực thuộc UBND tỉnh",
        "UBND các huyện, thành phố",
    ]


def test_a_date_whose_month_a_pdf_split_in_two_digits_is_read(registry):
    text = (
        HEADER.replace("ngày 05 tháng 3 năm 2026", "ngày 26 tháng 0 6 năm 2018")
        + "I. NHIỆM VỤ\n1. Rà soát.\n"
    )
    assert _plan(text, registry)["date"] == "2018-06-26"


def test_a_general_objective_written_as_a_paragraph_gives_its_percentages_as_targets(registry):
    text = (
        HEADER
        + """I. MỤC TIÊU
1. Mục tiêu tổng quát
Nâng cao chất lượng phục vụ, phấn đấu tối thiểu 95% hồ sơ được giải quyết đúng hạn; 100% thủ tục được công khai.
2. Mục tiêu cụ thể
- 80% văn bản được ký số.
II. NHIỆM VỤ
1. Sở Tư pháp rà soát văn bản.
"""
    )
    targets = _plan(text, registry)["targets"]
    assert [(t["min"], t["unit"]) for t in targets] == [(95, "%"), (100, "%"), (80, "%")]


def test_ministries_as_a_group_and_a_verb_after_a_kind_of_bodies(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Rà soát văn bản.
II. TỔ CHỨC THỰC HIỆN
1. Bộ Công an
- Phối hợp với các đơn vị tổng kết, rà soát việc công nhận.
2. Các bộ, ban, ngành khác: Căn cứ vào chức năng nhiệm vụ, phối hợp với các bộ, ban, ngành liên quan triển khai Kế hoạch.
"""
    )
    tasks = _plan(text, registry)["tasks"]
    written = [
        (
            [a["as_written"] for a in t["assignments"] if a["role"] == "lead"],
            [a["as_written"] for a in t["assignments"] if a["role"] == "coordinate"],
        )
        for t in tasks[1:]
    ]
    assert written == [
        (["Bộ Công an"], []),
        (["Các bộ, ban, ngành khác"], ["các bộ, ban, ngành liên quan"]),
    ]


def test_a_city_plan_names_its_own_committee_and_its_districts(registry):
    text = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
Số: 9/KH-UBND
Hải Phòng, ngày 02 tháng 4 năm 2014
KẾ HOẠCH
THỬ NGHIỆM CẤP THÀNH PHỐ
Căn cứ Luật Thử nghiệm;
I. NHIỆM VỤ
1. Ủy ban nhân dân Thành phố:
- Phê duyệt Đề án hỗ trợ.
2. Ủy ban nhân dân quận, huyện:
- Tổng hợp danh sách đối tượng.
"""
    plan = _plan(text, registry)
    leads = [[a["as_written"] for a in t["assignments"] if a["role"] == "lead"] for t in plan["tasks"]]
    assert leads == [["Ủy ban nhân dân Thành phố"], ["Ủy ban nhân dân quận, huyện"]]
    assert plan["tasks"][0]["lead"] == [plan["issuer"]] == ["UBND thành phố Hải Phòng"]


def test_a_task_item_that_states_what_is_reached_by_a_year_also_gives_targets(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Nhiệm vụ
a) Rà soát hệ thống chính sách.
b) Đến năm 2020, phấn đấu đạt 100% hộ gia đình có mức sống trung bình, năm 2018 đạt 99%; 98% xã làm tốt công tác.
"""
    )
    plan = _plan(text, registry)
    assert len(plan["tasks"]) == 2
    first, second = plan["targets"]
    assert first["target_year"] == 2020
    assert sorted((p["min"], p["target_year"]) for p in first["parts"]) == [(99, 2018), (100, 2020)]
    assert (second["min"], second["unit"]) == (98, "%")


def test_a_body_of_every_province_and_city_keeps_the_comma_of_its_name(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Ban Chỉ đạo các tỉnh, thành phố trực thuộc Trung ương xây dựng kế hoạch chi tiết.
"""
    )
    task = _plan(text, registry)["tasks"][0]
    assert [a["as_written"] for a in task["assignments"]] == [
        "Ban Chỉ đạo các tỉnh, thành phố trực thuộc Trung ương"
    ]


# --- deadlines as plans write them ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Quý IV/2025", ("once", datetime.date(2025, 12, 31))),
        ("Quí IV-2025", ("once", datetime.date(2025, 12, 31))),
        ("quý III năm 2026", ("once", datetime.date(2026, 9, 30))),
        ("Trong quý I/2026", ("once", datetime.date(2026, 3, 31))),
        ("Quý I, II/2026", ("once", datetime.date(2026, 6, 30))),
        ("6 tháng đầu năm 2026", ("once", datetime.date(2026, 6, 30))),
        ("6 tháng cuối năm 2026", ("once", datetime.date(2026, 12, 31))),
        ("Tháng 6/2026", ("once", datetime.date(2026, 6, 30))),
        ("trước ngày 30/6/2026", ("once", datetime.date(2026, 6, 30))),
        ("Năm 2026", ("once", datetime.date(2026, 12, 31))),
        ("Hằng năm", ("yearly", None)),
        ("Thường xuyên", ("continuous", None)),
    ],
)
def test_a_timing_cell_gives_the_deadline_or_the_recurrence(written, expected):
    assert timing_from_cell(written) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Tổ chức hội nghị sơ kết, hoàn thành trong Quí IV-2025.", datetime.date(2025, 12, 31)),
        ("Ban hành quy chế trong quý III năm 2026.", datetime.date(2026, 9, 30)),
        ("Hoàn thành việc rà soát trong 6 tháng đầu năm 2027.", datetime.date(2027, 6, 30)),
    ],
)
def test_a_task_sentence_gives_a_quarter_or_a_half_year_as_its_last_day(sentence, expected):
    assert timing_from_text(sentence) == ("once", expected)


def test_a_labelled_timing_of_a_quarter_written_with_a_dash_is_the_tasks_deadline(registry):
    text = (
        HEADER
        + """I. NHIỆM VỤ
1. Rà soát quy chế phối hợp.
Đơn vị chủ trì: Sở Tư pháp.
Thời gian thực hiện: Quí IV-2026.
"""
    )
    (task,) = _plan(text, registry)["tasks"]
    assert task["deadline"] == "2026-12-31"


# --- the committee of a named place -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "lead", "coordinate"),
    [
        ("UBND thành phố Đà Lạt chủ trì rà soát quy chế.", ["UBND thành phố Đà Lạt"], []),
        ("UBND thị xã Bình Long chủ trì rà soát quy chế.", ["UBND thị xã Bình Long"], []),
        (
            "Sở Tư pháp chủ trì, phối hợp Ủy ban nhân dân thành phố Đà Lạt rà soát quy chế.",
            ["Sở Tư pháp"],
            ["Ủy ban nhân dân thành phố Đà Lạt"],
        ),
        (
            "Giao UBND huyện Bảo Lâm và UBND các xã, phường tổ chức rà soát.",
            ["UBND huyện Bảo Lâm", "UBND các xã, phường"],
            [],
        ),
    ],
)
def test_the_committee_of_a_named_place_keeps_its_whole_name(registry, sentence, lead, coordinate):
    (task,) = _plan(HEADER + "I. NHIỆM VỤ\n1. " + sentence + "\n", registry)["tasks"]
    assert _written(task, "lead") == lead
    assert _written(task, "coordinate") == coordinate


def test_the_committee_of_a_named_place_known_to_the_registry_resolves(registry):
    (task,) = _plan(HEADER + "I. NHIỆM VỤ\n1. UBND thành phố Biên Hòa chủ trì rà soát.\n", registry)["tasks"]
    assert task["lead"] == ["Ủy ban nhân dân thành phố Biên Hòa"]


def test_the_issuers_own_committee_named_in_the_text_is_the_issuer(registry):
    text = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 7/KH-UBND
Lào Cai, ngày 05 tháng 3 năm 2026
KẾ HOẠCH
THỬ NGHIỆM NĂM 2026
Căn cứ Luật Thử nghiệm;
I. NHIỆM VỤ
1. Ủy ban nhân dân tỉnh Lào Cai chỉ đạo rà soát quy chế, phối hợp UBND thành phố Lào Cai.
"""
    plan = _plan(text, registry)
    (task,) = plan["tasks"]
    assert task["lead"] == [plan["issuer"]] == ["UBND tỉnh Lào Cai"]
    assert _written(task, "coordinate") == ["UBND thành phố Lào Cai"]


# --- "và" between two bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "role", "names"),
    [
        (
            "Văn phòng Ban Chỉ đạo và cơ quan thường trực các cấp tổ chức kiểm tra.",
            "lead",
            ["Văn phòng Ban Chỉ đạo", "cơ quan thường trực các cấp"],
        ),
        (
            "Sở Tư pháp chủ trì, phối hợp Văn phòng Hội đồng thi đua và cơ quan thường trực cấp xã kiểm tra.",
            "coordinate",
            ["Văn phòng Hội đồng thi đua", "cơ quan thường trực cấp xã"],
        ),
        # A registry name holding "và" stays one body.
        ("Sở Văn hóa, Thể thao và Du lịch tổ chức kiểm tra.", "lead", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ],
)
def test_va_between_two_bodies_splits_them_unless_the_whole_is_one_name(registry, sentence, role, names):
    (task,) = _plan(HEADER + "I. NHIỆM VỤ\n1. " + sentence + "\n", registry)["tasks"]
    assert _written(task, role) == names


# --- markup runs end at a blank line; groups of bodies of the place -------------------------------------------


def test_a_markup_run_left_open_is_closed_at_the_blank_line():
    lines = [
        "** Lưu ý: *Ưu tiên",
        "khen thưởng cá nhân.",
        "",
        "**V. THỦ TỤC**",
        "**1. Hồ sơ**",
        "",
        "Nộp hồ sơ.",
    ]
    closed = close_runs_at_blank_lines(lines)
    assert len(closed) == 5  # the blank lines are dropped, the others kept in order
    out = [text for _, text in reflow_web_text(list(enumerate(closed)))]
    assert out == ["Lưu ý: Ưu tiên khen thưởng cá nhân.", "V. THỦ TỤC", "1. Hồ sơ", "Nộp hồ sơ."]


def test_a_web_page_plan_with_an_unclosed_note_keeps_the_sections_after_it(registry):
    web = """|
**ỦY BAN NHÂN DÂN**
**TỈNH ĐỒNG NAI**
-------
|
Số: 12/KH-UBND
|
*Đồng Nai, ngày 05
tháng 3 năm 2026*
|
**KẾ HOẠCH**
THỬ NGHIỆM NĂM 2026

Căn cứ Luật
Thử nghiệm;

**I. NỘI DUNG**

Thi đua rà soát quy chế.

** Lưu ý: *Ưu tiên
khen thưởng cá nhân.

**II. TỔ CHỨC
THỰC HIỆN**

**1. Sở Nội vụ: **Tham mưu
UBND tỉnh theo dõi, đôn đốc.

**2. Sở Tư pháp: **Rà soát
quy chế phối hợp.
"""
    plan = _plan(web, registry)
    assert [(t["lead"], t["text"]) for t in plan["tasks"]] == [
        (["Sở Nội vụ"], "Tham mưu UBND tỉnh theo dõi, đôn đốc."),
        (["Sở Tư pháp"], "Rà soát quy chế phối hợp."),
    ]


@pytest.mark.parametrize(
    ("item", "lead"),
    [
        ("Các cơ quan, đơn vị, địa phương thuộc tỉnh", "Các cơ quan, đơn vị, địa phương thuộc tỉnh"),
        ("Các cơ quan thông tin, truyền thông của tỉnh", "Các cơ quan thông tin, truyền thông của tỉnh"),
        ("Các sở, ban, ngành trên địa bàn tỉnh", "Các sở, ban, ngành trên địa bàn tỉnh"),
    ],
)
def test_an_agency_item_naming_a_group_of_bodies_of_the_place_holds_its_task(registry, item, lead):
    text = (
        HEADER + f"I. TỔ CHỨC THỰC HIỆN\n1. {item}: Xây dựng kế hoạch triển khai.\n2. Sở Nội vụ: Theo dõi.\n"
    )
    plan = _plan(text, registry)
    assert [(_written(t, "lead"), t["text"]) for t in plan["tasks"]] == [
        ([lead], "Xây dựng kế hoạch triển khai."),
        (["Sở Nội vụ"], "Theo dõi."),
    ]


# --- footnotes of a text PDF --------------------------------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _pdf_with_a_footnote(mark: str, rule: bool) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="pt")
    pdf.add_font("dejavu", "", str(DEJAVU))
    pdf.add_page()
    pdf.set_font("dejavu", size=13)
    for text in [
        "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
        "KẾ HOẠCH",
        "I. NHIỆM VỤ",
        "1. Sở Tư pháp chủ trì rà soát quy chế phối hợp.",
        "2. Sở Nội vụ chủ trì tổng hợp kết quả thực hiện.",
    ]:
        pdf.cell(0, 20, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(760)
    if rule:
        pdf.line(pdf.l_margin, 758, pdf.l_margin + 150, 758)
    pdf.set_font("dejavu", size=9)
    pdf.cell(
        0,
        12,
        f"{mark}Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(0, 12, "về đột phá phát triển khoa học, công nghệ.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs Debian's DejaVu fonts")
@pytest.mark.parametrize(("mark", "rule"), [("1 ", False), ("", True), ("(2) ", True)])
def test_footnotes_at_the_foot_of_a_pdf_page_are_set_apart_from_the_text(mark, rule):
    layout = pdflayout.read_layout(_pdf_with_a_footnote(mark, rule))
    (page,) = layout.pages
    assert not any("Nghị quyết số 57" in line for line in page.lines)
    assert page.lines[-1] == "2. Sở Nội vụ chủ trì tổng hợp kết quả thực hiện."
    assert page.footnotes[0].startswith(mark.strip() or "Nghị quyết")


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs Debian's DejaVu fonts")
def test_small_text_at_the_foot_of_a_page_without_a_mark_or_a_rule_stays_text():
    layout = pdflayout.read_layout(_pdf_with_a_footnote("", False))
    assert any("Nghị quyết số 57" in line for line in layout.pages[0].lines)
    assert layout.pages[0].footnotes == []


def test_footnotes_are_only_what_follows_the_last_line_of_body_size():
    def line(centre, text, size):
        return (centre, pdflayout.PdfLine(text, 50, 400, size))

    body = [line(100 + 20 * i, f"Dòng {i} của thân văn bản.", 13) for i in range(5)]
    small_inside = [line(300, "1 Ghi chú nhỏ giữa trang.", 9)]
    tail = [line(700, "1 Chú thích cuối trang.", 9), line(712, "tiếp chú thích.", 9), line(760, "3", 13)]
    kept, notes = pdflayout.split_footnotes(
        body + small_inside + [line(320, "Thân văn bản tiếp.", 13)] + tail
    )
    assert notes == ["1 Chú thích cuối trang.", "tiếp chú thích."]
    assert [text for _, text in kept][-1] == "3" and "1 Ghi chú nhỏ giữa trang." in [t for _, t in kept]
    # Under the last table of the page (its cells set small), nothing is a footnote.
    assert pdflayout.split_footnotes(body + tail, floor=750)[1] == []


def test_a_last_line_of_figures_is_not_taken_for_a_footnote_by_its_short_box():
    lines = [
        (100 + 20 * i, pdflayout.PdfLine(f"Dòng {i} của thân văn bản, chậm nhất là ngày", 50, 500, 13.2))
        for i in range(6)
    ]
    lines.append((240, pdflayout.PdfLine("30/01/2026.", 50, 120, 9.5)))  # digits: no accents, a short box
    assert pdflayout.split_footnotes(lines) == (lines, [])
