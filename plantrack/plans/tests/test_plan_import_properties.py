"""Property-based tests: random and mutated documents never make the reader or the parser raise anything but a
clear message, and what the parser returns is always well-formed interchange data."""

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.plans.importing import ImportResult, PlanImportError, import_document
from plantrack.plans.importing.parser import display_name, parse_plan
from plantrack.plans.importing.readers import DocumentReadError, SourceDocument, read_document
from plantrack.plans.importing.review import apply_form, for_publish
from plantrack.plans.rules import plan_data_problems

from .conftest import sample_bytes

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEED_LINES = sample_bytes("plan_386_KH-UBND.txt").decode().splitlines()
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵ AĂÂĐÊÔƠƯSTUVXIKL"
FRAGMENTS = [
    "I. ",
    "II. ",
    "III. NHIỆM VỤ",
    "IV. TỔ CHỨC THỰC HIỆN",
    "II. MỤC TIÊU",
    "1. ",
    "1.1. ",
    "2.3.4. ",
    "a) ",
    "b) ",
    "- ",
    "+ ",
    "Số: 12/KH-UBND",
    "Đồng Nai, ngày 1 tháng 2 năm 2025",
    "KẾ HOẠCH",
    "Nơi nhận:",
    "PHỤ LỤC",
    "Sở Khoa học và Công nghệ",
    "Sở Tài chính",
    "chủ trì",
    "phối hợp với",
    ", ",
    " và ",
    "các cơ quan liên quan",
    "các sở, ban, ngành liên quan",
    "UBND các huyện, thành phố",
    "Sở Du lịch",
    "trước ngày 30/6/2025",
    "Quý II/2025",
    "hằng năm",
    "đạt 30%",
    "khoảng 62,8%",
    "10 - 15 giải thưởng",
    "tăng tối thiểu 20%/năm",
    "đến năm 2030",
    ":",
    ";",
    ".",
    "Giao ",
    "Phối hợp ",
    "Thực hiện Quyết định số 709/QĐ-TTg;",
    "liên quan",
    "12 người/vạn dân",
]
line = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(LETTERS, max_size=12)), max_size=8).map("".join)
document = st.lists(line, min_size=0, max_size=40)


def _assert_clear(message: str) -> None:
    assert message.strip()
    assert VIETNAMESE.search(message), message


def _assert_well_formed(plan: dict) -> None:
    codes = [t["code"] for t in plan["tasks"]]
    assert len(codes) == len(set(codes))
    group_codes = {g["code"] for g in plan["task_groups"]}
    for task in plan["tasks"]:
        assert task["group"] in group_codes
        assert task["recurrence"] in ("continuous", "yearly", "once")
        assert (task["deadline"] is None) or task["recurrence"] == "once"
        for a in task["assignments"]:
            assert a["role"] in ("lead", "coordinate")
            assert a["as_written"].strip()
            assert not (a["agency"] and a["group"])
        assert task["lead"] == [display_name(a) for a in task["assignments"] if a["role"] == "lead"]
    for target in plan["targets"]:
        for t in [target, *target["parts"]]:
            if t["min"] is not None and t["max"] is not None:
                assert t["min"] <= t["max"]


@SETTINGS
@given(lines=document)
def test_random_documents_parse_or_fail_with_a_message(registry_2024, lines):
    data = "\n".join(lines).encode()
    try:
        result = import_document(data, "ngau-nhien.txt", registry=registry_2024)
    except PlanImportError as exc:
        _assert_clear(str(exc))
        return
    assert isinstance(result, ImportResult)
    _assert_well_formed(result.plan)
    for problem in result.problems:
        _assert_clear(problem.message)
    plan_data_problems(for_publish(result.plan), registry=registry_2024, check_existing=False)


@st.composite
def mutated_seed(draw):
    lines = list(SEED_LINES)
    rnd = random.Random(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 12))):
        op = rnd.choice(["delete", "duplicate", "swap", "insert", "cut", "marker", "case"])
        i = rnd.randrange(len(lines)) if lines else 0
        if not lines:
            lines.append(draw(line))
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(line))
        elif op == "cut":
            lines[i] = lines[i][: rnd.randrange(len(lines[i]) + 1)]
        elif op == "marker":
            lines[i] = rnd.choice(["- ", "a) ", "1.1. ", "IV. ", "+ ", ""]) + lines[i].split(" ", 1)[-1]
        else:
            lines[i] = lines[i].upper() if rnd.random() < 0.5 else lines[i].lower()
    return lines


@SETTINGS
@given(lines=mutated_seed())
def test_mutated_plan_386_never_breaks_the_parser(registry_2024, lines):
    source = SourceDocument("txt", "386.txt", [x for x in lines if x.strip()])
    result = parse_plan(source, registry_2024)
    _assert_well_formed(result.plan)
    for problem in result.problems:
        _assert_clear(problem.message)


@SETTINGS
@given(
    data=st.binary(max_size=3000), name=st.sampled_from(["a.txt", "a.docx", "a.pdf", "a.doc", "a", "a.png"])
)
def test_random_bytes_are_read_or_refused_with_a_message(data, name):
    try:
        read_document(data, name)
    except DocumentReadError as exc:
        _assert_clear(str(exc))


def _mutate(data: bytes, seed: int, count: int) -> bytes:
    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        op = rnd.random()
        i = rnd.randrange(len(out))
        if op < 0.6:
            out[i] = rnd.randrange(256)
        elif op < 0.8:
            del out[i : i + rnd.randrange(1, 64)]
        else:
            out[i:i] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 16)))
    return bytes(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(1, 40),
    name=st.sampled_from(["synthetic_by_agency.docx", "synthetic_numbered.pdf"]),
)
def test_damaged_docx_and_pdf_files_fail_cleanly(registry_2024, seed, count, name):
    data = _mutate(sample_bytes(name), seed, count)
    try:
        result = import_document(data, name, registry=registry_2024)
    except PlanImportError as exc:
        _assert_clear(str(exc))
        return
    _assert_well_formed(result.plan)


@SETTINGS
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                "number",
                "date",
                "issuer",
                "coordinator_agency",
                "task-0-code",
                "task-0-deadline",
                "task-0-a0-who",
                "task-0-a0-role",
                "task-0-a1-who",
                "task-0-delete",
                "tgt-0-min",
                "tgt-0-max",
                "tgt-0-target_year",
                "tgt-0-comparator",
                "rep-0-due",
                "rcp-0-who",
                "grp-0-code",
                "tgt-8-p1-min",
                "out-3-delete",
            ]
        ),
        st.text(max_size=30),
    )
)
def test_any_review_form_input_is_kept_or_reported(registry_2024, values):
    plan = parse_plan(
        SourceDocument("txt", "386.txt", [x for x in SEED_LINES if x.strip()]), registry_2024
    ).plan
    edited = apply_form(plan, values, registry_2024)
    for problem in plan_data_problems(edited, registry=registry_2024, check_existing=False):
        _assert_clear(problem.message)
    for_publish(edited)


# --- generated plans: what is written is what is read ---------------------------------------------------------

DEPARTMENTS = [
    "Sở Khoa học và Công nghệ",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Y tế",
    "Sở Công Thương",
    "Sở Ngoại vụ",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Giáo dục và Đào tạo",
    "Ban Quản lý các Khu công nghiệp Đồng Nai",
    "Báo Đồng Nai",
    "Công an tỉnh Đồng Nai",
    "Sở Tư pháp",
]
GROUP_PHRASES = {
    "các sở, ban, ngành": "Các sở, ban, ngành",
    "UBND các huyện, thành phố": "UBND các huyện, thành phố",
}
VERBS = ["triển khai", "xây dựng", "tham mưu", "thực hiện", "tổ chức", "rà soát"]


@st.composite
def generated_plan(draw):
    """A plan text and the (code, lead, coordinate) of each of its tasks, written in the styles of §6."""
    agencies = st.sampled_from(DEPARTMENTS)
    lines = [
        "Số: 77/KH-UBND",
        "Đồng Nai, ngày 5 tháng 6 năm 2025",
        "KẾ HOẠCH",
        "Kế hoạch sinh ra (SYNTHETIC TEST DATA)",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "Bảo đảm thực hiện đồng bộ.",
        "II. NHIỆM VỤ, GIẢI PHÁP",
    ]
    expected = []
    for g in range(1, draw(st.integers(1, 4)) + 1):
        lines.append(f"{g}. Nhóm nhiệm vụ thứ {g}")
        for letter in "abc"[: draw(st.integers(1, 3))]:
            lead = draw(agencies)
            coords = draw(
                st.lists(
                    st.one_of(agencies, st.sampled_from(list(GROUP_PHRASES))), max_size=3, unique=True
                ).filter(lambda c, lead=lead: lead not in c)
            )
            joined = (
                ", ".join(coords[:-1]) + (" và " if len(coords) > 1 else "") + (coords[-1] if coords else "")
            )
            style = draw(st.sampled_from(["chu_tri", "phoi_hop", "heading"]))
            verb = draw(st.sampled_from(VERBS))
            expected_coords = [GROUP_PHRASES.get(c, c) for c in coords]
            if style == "heading":
                lines.append(f"{letter}) {lead} chủ trì{', phối hợp ' + joined if coords else ''}:")
                for n in range(1, draw(st.integers(1, 3)) + 1):
                    lines.append(f"- {verb.capitalize()} nội dung số {n} của nhóm {g}{letter}.")
                    expected.append((f"II.{g}.{letter}.{n}", [lead], expected_coords))
            elif style == "phoi_hop" and coords:
                lines.append(f"{letter}) {lead} phối hợp {joined} {verb} nội dung của nhóm {g}.")
                expected.append((f"II.{g}.{letter}", [lead], expected_coords))
            else:
                tail = f", phối hợp với {joined}" if coords else ""
                lines.append(f"{letter}) Giao {lead} chủ trì{tail} {verb} nội dung của nhóm {g}.")
                expected.append((f"II.{g}.{letter}", [lead], expected_coords))
    lines += [
        "III. TỔ CHỨC THỰC HIỆN",
        "1. Các sở, ban, ngành định kỳ hằng năm trước ngày 01/12 báo cáo gửi Sở Khoa học và Công nghệ.",
        "2. Sở Khoa học và Công nghệ theo dõi, đôn đốc, kiểm tra việc thực hiện.",
    ]
    return "\n".join(lines), expected


@SETTINGS
@given(case=generated_plan())
def test_generated_plans_are_read_back_exactly(registry_2024, case):
    text, expected = case
    result = import_document(text.encode(), "sinh-ra.txt", registry=registry_2024)
    got = [(t["code"], t["lead"], t["coordinate"]) for t in result.plan["tasks"]]
    assert got == expected
    assert result.errors == []
    assert result.plan["reporting"][0]["due"] == "01/12"
