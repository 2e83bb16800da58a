"""The composer (issue 12 point 1): contributions deduplicated and counted, the suggested draft in the department's
voice, every cited sentence traced in the build manifest, the edit page showing contributions grouped."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from docx import Document

from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.report.compile import Source, consolidated_compile
from plantrack.consolidation.report.composer import (
    GENERAL_GROUP,
    Mention,
    merge,
    normalise,
    split_sentences,
)
from plantrack.consolidation.report.narrative import default_narrative
from plantrack.reporting.models import ReportSubmission

pytestmark = pytest.mark.django_db


def _source(n: int) -> Source:
    return Source(
        agency_id=n,
        agency_name=f"Sở số {n}",
        report_id=100 + n,
        submission_id=200 + n,
        submission_number=1,
        submitted_at=datetime.datetime(2025, 11, 20, tzinfo=datetime.UTC),
        accepted_at=None,
        is_late=False,
    )


def _merge(*texts: str):
    mentions = [(Mention(t, normalise(t), _source(i)), GENERAL_GROUP) for i, t in enumerate(texts, start=1)]
    return merge(mentions)


def test_normalise_ignores_case_diacritics_punctuation_and_spacing():
    assert normalise("Nguồn lực  tài chính CÒN THIẾU; phối hợp chưa chặt chẽ.") == normalise(
        "nguồn lực tài chính còn thiếu, phối hợp chưa chặt chẽ"
    )
    assert normalise("Đã ban hành") == "da ban hanh"


@pytest.mark.parametrize(
    "second",
    [
        "Nguồn lực tài chính còn thiếu.",
        "NGUỒN LỰC TÀI CHÍNH CÒN THIẾU",
        "nguồn lực tài chính ,còn  thiếu !",
        "Nguon luc tai chinh con thieu.",
    ],
)
def test_two_agencies_writing_the_same_sentence_are_one_statement(second):
    statements = _merge("Nguồn lực tài chính còn thiếu.", second)
    assert len(statements) == 1
    statement = statements[0]
    assert statement.count == 2 and statement.reports == [101, 102] and statement.submissions == [201, 202]
    assert statement.draft_line == "- Nguồn lực tài chính còn thiếu (2 cơ quan, đơn vị)."


def test_near_duplicates_merge_and_different_sentences_do_not():
    statements = _merge(
        "Phối hợp giữa các đơn vị có lúc chưa chặt chẽ.",
        "Phối hợp giữa các đơn vị có lúc còn chưa chặt chẽ.",  # one word added
        "Phoi hop giua cac don vi co luc chua chat che",
        "Hạ tầng công nghệ thông tin của tỉnh còn lạc hậu.",
    )
    assert [s.count for s in statements] == [3, 1]
    assert statements[0].text == "Phối hợp giữa các đơn vị có lúc chưa chặt chẽ."  # the first on a tie
    assert statements[1].draft_line == "- Sở số 4: hạ tầng công nghệ thông tin của tỉnh còn lạc hậu."


def test_merged_sentences_with_different_figures_cite_one_as_an_example():
    statements = _merge(
        "Đã tổ chức 3 hội nghị quán triệt với 120 lượt người tham dự.",
        "Đã tổ chức 4 hội nghị quán triệt với 155 lượt người tham dự.",
        "Đã tổ chức 3 hội nghị quán triệt với 120 lượt người tham dự.",
    )
    assert len(statements) == 1 and statements[0].varies_in_figures
    line = statements[0].draft_line
    assert line.startswith(
        "- 3 cơ quan, đơn vị có kết quả tương tự; tiêu biểu, Sở số 1: đã tổ chức 3 hội nghị"
    )
    same = _merge("Đã ban hành kế hoạch triển khai.", "Đã ban hành kế hoạch triển khai")
    assert same[0].draft_line == "- 2 cơ quan, đơn vị đã ban hành kế hoạch triển khai."


def test_split_sentences_keeps_numbers_and_cuts_at_sentence_ends():
    assert split_sentences("- Kinh phí 1.200 triệu đồng. Nhân lực thiếu.\n+ Phối hợp tốt") == [
        "Kinh phí 1.200 triệu đồng.",
        "Nhân lực thiếu.",
        "Phối hợp tốt",
    ]


def _set_sections(report, **sections):
    """Rewrite an accepted snapshot's sections (submissions are immutable in the app; the test goes around it)."""
    snapshot = report.accepted_submission.snapshot
    snapshot["sections"].update(sections)
    ReportSubmission.objects.filter(pk=report.accepted_submission_id).update(snapshot=snapshot)


def test_default_draft_counts_agencies_and_never_lists_names(cycle_2025):
    first, second, third = cycle_2025.accepted
    _set_sections(first, shortcomings="Nguồn lực tài chính còn thiếu. Phối hợp có lúc chưa chặt chẽ.")
    _set_sections(second, shortcomings="nguồn lực tài chính còn thiếu")
    _set_sections(third, shortcomings="Phối hợp có lúc còn chưa chặt chẽ.")
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    narrative = default_narrative(compilation, coordinator_agency=cycle_2025.plan.coordinator_agency)
    lines = narrative.shortcomings.splitlines()
    assert "- Nguồn lực tài chính còn thiếu (2 cơ quan, đơn vị)." in lines
    # Near-duplicates of two agencies: one line (the variant of the agency first by name), counted twice.
    cooperation = [line for line in lines if line.startswith("- Phối hợp có lúc")]
    assert len(cooperation) == 1 and cooperation[0].endswith("chưa chặt chẽ (2 cơ quan, đơn vị).")
    # Every accepted report wrote "Tiếp tục thực hiện." and "Thiếu kinh phí." (an entry's difficulty).
    assert "- Tiếp tục thực hiện (3 cơ quan, đơn vị)." in narrative.directions.splitlines()
    assert "- Thiếu kinh phí (3 cơ quan, đơn vị)." in lines
    for report in cycle_2025.accepted:
        assert report.agency.name not in narrative.shortcomings
        assert report.agency.name not in narrative.directions


def test_proposals_to_the_department_never_reach_section_v(cycle_2025):
    first, second, _third = cycle_2025.accepted
    _set_sections(
        first,
        proposals="Đề nghị Sở Khoa học và Công nghệ tổ chức tập huấn về chuyển đổi số.\n"
        "Đề nghị UBND tỉnh bố trí kinh phí cho nhiệm vụ chuyển đổi số.",
    )
    _set_sections(second, proposals="Đề nghị UBND tỉnh bố trí kinh phí cho nhiệm vụ chuyển đổi số.")
    compilation = consolidated_compile(cycle=cycle_2025.cycle)
    narrative = default_narrative(compilation, coordinator_agency=cycle_2025.plan.coordinator_agency)
    assert "Sở Khoa học và Công nghệ tổ chức tập huấn" not in narrative.proposals
    assert "- Đề nghị UBND tỉnh bố trí kinh phí cho nhiệm vụ chuyển đổi số (2 cơ quan, đơn vị)." in (
        narrative.proposals.splitlines()
    )


def test_manifest_keeps_the_sources_of_every_cited_sentence(cycle_2025):
    first, second, third = cycle_2025.accepted
    _set_sections(first, main_results="Đã ban hành kế hoạch triển khai Kế hoạch của tỉnh.")
    _set_sections(second, main_results="Đã ban hành kế hoạch triển khai kế hoạch của tỉnh")
    built = build_consolidated(cycle=cycle_2025.cycle, charts=False)
    sources = built.manifest()["sentence_sources"]
    strengths = [s for s in sources if s["section"] == "strengths"]
    cited = next(s for s in strengths if "ban hành kế hoạch triển khai" in s["sentence"])
    assert cited["sentence"] == "- 2 cơ quan, đơn vị đã ban hành kế hoạch triển khai Kế hoạch của tỉnh."
    assert cited["agencies"] == sorted([first.agency.name, second.agency.name])
    assert cited["reports"] == sorted([first.pk, second.pk])
    assert cited["submissions"] == sorted([first.accepted_submission_id, second.accepted_submission_id])
    directions = next(s for s in sources if s["section"] == "directions")
    assert directions["reports"] == sorted(r.pk for r in cycle_2025.accepted)
    # A sentence the coordinator typed is not attributed to anyone.
    built.narrative.strengths += "\nSở đã chủ động tham mưu."
    assert not [s for s in built.manifest()["sentence_sources"] if "tham mưu" in s["sentence"]]


def test_edit_page_shows_contributions_grouped_with_a_cite_button(client, cycle_2025):
    client.force_login(cycle_2025.coordinator)
    page = client.get(reverse("consolidation:edit", args=[cycle_2025.cycle.pk])).content.decode()
    assert 'class="composer"' in page and "consolidation/consolidation.js" in page
    # Grouped: the reports' own sections, the task groups (entries' difficulties) and themes.
    assert GENERAL_GROUP in page and "Kinh phí, nguồn lực" in page
    group = cycle_2025.accepted[0].entries.select_related("task__group").first().task.group
    assert f"{group.code}. {group.title}" in page
    # "Thiếu kinh phí." of three agencies is one statement counted 3 times, with its insert button.
    assert 'data-text="- Thiếu kinh phí (3 cơ quan, đơn vị)."' in page
    assert "3 cơ quan, đơn vị</span>" in page
    # Never from a report that is not accepted.
    assert f"Hạn chế của {cycle_2025.returned.agency.name}" not in page
    for report in cycle_2025.accepted:
        assert f"Hạn chế của {report.agency.name}" in page


def test_section_ii_writes_a_shared_account_once_with_its_count(cycle_2025):
    first, second, third = cycle_2025.accepted
    shared = {e["task_id"] for e in first.accepted_submission.snapshot["entries"]} & {
        e["task_id"] for e in second.accepted_submission.snapshot["entries"]
    }
    task_id = min(shared)
    for report, text in ((first, "Đã ban hành kế hoạch, tổ chức hội nghị quán triệt."), (second, None)):
        snapshot = report.accepted_submission.snapshot
        for entry in snapshot["entries"]:
            if entry["task_id"] == task_id:
                entry["results"] = text or "đã ban hành kế hoạch; tổ chức hội nghị quán triệt"
                entry["difficulties"] = "Thiếu kinh phí."
        ReportSubmission.objects.filter(pk=report.accepted_submission_id).update(snapshot=snapshot)
    built = build_consolidated(cycle=cycle_2025.cycle, charts=False)
    texts = [p.text for p in Document(io.BytesIO(built.docx)).paragraphs]
    lines = [t for t in texts if t.startswith("+ ") and "tổ chức hội nghị quán triệt" in t.lower()]
    assert len(lines) == 1 and lines[0].startswith("+ 2 cơ quan, đơn vị (")
    assert first.agency.name not in lines[0] and second.agency.name not in lines[0]
    index = texts.index(lines[0])
    assert re.match(r"Khó khăn, vướng mắc: Thiếu kinh phí \([23] cơ quan, đơn vị\)\.", texts[index + 1])
