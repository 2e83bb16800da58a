"""Proposals go to who can act: addressees, the department's choices and answers, section V of the consolidated
report (only higher bodies, grouped by addressee, include flag respected)."""

import io

import pytest
from docx import Document

from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.consolidation.report.docx import consolidated_docx
from plantrack.consolidation.report.narrative import default_narrative
from plantrack.reporting import services
from plantrack.reporting.facts import ProposalIn
from plantrack.reporting.models import Addressee, ReportProposal
from plantrack.reporting.services import ReportingError, WorkflowNotAllowed

from .conftest import fill

pytestmark = pytest.mark.django_db

TO_PROVINCE = ProposalIn(Addressee.PROVINCE, "bố trí kinh phí cho chương trình đổi mới sáng tạo")
TO_MINISTRY = ProposalIn(
    Addressee.MINISTRY, "Sớm ban hành hướng dẫn về quỹ phát triển KH&CN", "Bộ Khoa học và Công nghệ"
)
TO_SELF = ProposalIn(Addressee.DEPARTMENT, "Đề nghị Sở tổ chức tập huấn về chuyển đổi số")


def send(world, cycle, agency, head, proposals):
    report = world.report(cycle, agency)
    fill(report, head)
    report.refresh_from_db()
    services.report_save_draft(actor=head, report=report, version=report.version, proposals=proposals)
    services.report_submit(actor=head, report=world.report(cycle, agency))
    return world.report(cycle, agency)


def section_five(cycle) -> list[str]:
    compilation = consolidated_compile(cycle=cycle)
    narrative = default_narrative(compilation, coordinator_agency=compilation.plan.coordinator_agency)
    texts = [p.text for p in Document(io.BytesIO(consolidated_docx(compilation, narrative))).paragraphs]
    start = texts.index("V. KIẾN NGHỊ, ĐỀ XUẤT")
    return texts[
        start + 1 : start + 1 + next(i for i, t in enumerate(texts[start + 1 :]) if t.startswith("Trên đây"))
    ]


def test_addressees_are_saved_and_the_department_named_as_an_agency_is_the_department(world, cycle):
    report = world.report(cycle, world.a)
    services.report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        proposals=[TO_PROVINCE, ProposalIn(Addressee.AGENCY, "phối hợp", addressee_agency_id=world.dept.pk)],
    )
    assert list(report.proposal_items.values_list("addressee", flat=True)) == ["province", "department"]


@pytest.mark.parametrize(
    "item, message",
    [
        (ProposalIn(Addressee.MINISTRY, "x"), "tên Bộ"),
        (ProposalIn(Addressee.AGENCY, "x"), "chọn cơ quan"),
        (ProposalIn(Addressee.PROVINCE, "  "), "chưa có nội dung"),
    ],
)
def test_proposal_rules(world, cycle, item, message):
    report = world.report(cycle, world.a)
    with pytest.raises(ReportingError, match=message):
        services.report_save_draft(
            actor=world.reporter_a, report=report, version=report.version, proposals=[item]
        )
    assert not ReportProposal.objects.exists()


def test_resaving_keeps_the_departments_decisions(world, cycle):
    report = send(world, cycle, world.a, world.head_a, [TO_PROVINCE, TO_SELF])
    province = report.proposal_items.get(addressee="province")
    services.proposals_decide(actor=world.coordinator, report=report, include=[province.pk])
    services.report_return(actor=world.coordinator, report=report, comment="Bổ sung")
    report = world.report(cycle, world.a)
    # an Excel round trip carries no ids: the same text keeps the same row and its "include"
    services.report_save_draft(
        actor=world.head_a, report=report, version=report.version, proposals=[TO_PROVINCE]
    )
    kept = report.proposal_items.get()
    assert (kept.pk, kept.include) == (province.pk, True)


def test_only_the_coordinator_decides_and_only_within_the_rules(world, cycle):
    report = send(world, cycle, world.a, world.head_a, [TO_PROVINCE, TO_SELF])
    own = report.proposal_items.get(addressee="department")
    with pytest.raises(WorkflowNotAllowed):
        services.proposals_decide(actor=world.head_a, report=report, include=[])
    with pytest.raises(ReportingError, match="Chỉ kiến nghị gửi"):
        services.proposals_decide(actor=world.coordinator, report=report, include=[own.pk])
    services.proposals_decide(
        actor=world.coordinator, report=report, answers={own.pk: "Sở sẽ tổ chức vào quý I/2026."}
    )
    own.refresh_from_db()
    assert own.answer == "Sở sẽ tổ chức vào quý I/2026." and own.answered_on is not None


def test_section_five_lists_only_included_proposals_to_higher_bodies_grouped_by_addressee(world, cycle):
    a = send(world, cycle, world.a, world.head_a, [TO_PROVINCE, TO_MINISTRY, TO_SELF])
    b = send(
        world,
        cycle,
        world.b,
        world.head_b,
        [
            ProposalIn(
                Addressee.PROVINCE, "Bố trí kinh phí cho chương trình đổi mới sáng tạo."
            ),  # same as A's
            ProposalIn(Addressee.PROVINCE, "Không được chọn vào báo cáo"),
        ],
    )
    chosen = [p.pk for p in a.proposal_items.all() if p.is_higher]
    chosen += [b.proposal_items.get(order=1).pk]
    for report in (a, b):
        services.proposals_decide(
            actor=world.coordinator,
            report=report,
            include=[pk for pk in chosen if report.proposal_items.filter(pk=pk).exists()],
        )
        services.report_accept(actor=world.coordinator, report=report)
    lines = section_five(cycle)
    assert lines == [
        "1. Kiến nghị Ủy ban nhân dân tỉnh",
        "- Bố trí kinh phí cho chương trình đổi mới sáng tạo.",
        "2. Kiến nghị Bộ Khoa học và Công nghệ",
        "- Sớm ban hành hướng dẫn về quỹ phát triển KH&CN.",
    ]
    assert not any("tập huấn" in line for line in lines)  # self-addressed: answered, never forwarded


def test_section_five_is_empty_when_nothing_is_included(world, cycle):
    report = send(world, cycle, world.a, world.head_a, [TO_PROVINCE, TO_SELF])
    services.report_accept(actor=world.coordinator, report=report)
    assert not any("Kiến nghị Ủy ban" in line for line in section_five(cycle))


def test_the_agency_reads_the_answer_on_its_report(client, world, cycle):
    report = send(world, cycle, world.a, world.head_a, [TO_SELF])
    own = report.proposal_items.get()
    client.force_login(world.coordinator)
    response = client.post(
        f"/bao-cao/{report.pk}/kien-nghi/", {f"answer-{own.pk}": "Đã đưa vào kế hoạch 2026."}
    )
    assert response.status_code == 302
    client.force_login(world.reporter_a)
    assert "Đã đưa vào kế hoạch 2026." in client.get(f"/bao-cao/{report.pk}/").content.decode()
    client.force_login(world.reporter_b)
    assert client.post(f"/bao-cao/{report.pk}/kien-nghi/", {}).status_code == 404
