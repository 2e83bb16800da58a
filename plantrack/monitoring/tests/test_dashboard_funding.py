"""The dashboard's funding block (issue 14 item 5): money an agency enters in its report appears in the plan's
total per task group once the report is accepted; a report awaiting review is shown apart, not added."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plantrack.monitoring.selectors import cycle_funding
from plantrack.reporting import services
from plantrack.reporting.facts import EntryFacts, FundingIn

from .conftest import fill

pytestmark = pytest.mark.django_db


def _send(world, cycle, agency, head, task, fund):
    report = world.report(cycle, agency)
    fill(report, head)
    report.refresh_from_db()
    entry = report.entries.get(task=task)
    services.report_save_draft(
        actor=head, report=report, version=report.version, facts={entry.pk: EntryFacts(funding=(fund,))}
    )
    services.report_submit(actor=head, report=report)
    return world.report(cycle, agency)


def test_funding_appears_in_the_total_once_accepted(client, world, cycle):
    fund_a = FundingIn(
        2025, provincial=Decimal("800"), central=Decimal("300"), other=Decimal("150"), spent=Decimal("900")
    )
    report_a = _send(world, cycle, world.a, world.head_a, world.t1, fund_a)
    _send(world, cycle, world.b, world.head_b, world.t2, FundingIn(2025, provincial=Decimal("2000")))
    board = cycle_funding(cycle=cycle)
    assert board.total.allocated == 0  # nothing accepted yet
    assert board.pending.allocated == Decimal("3250")

    services.report_accept(actor=world.coordinator, report=report_a)
    board = cycle_funding(cycle=cycle)
    assert board.total.allocated == Decimal("1250")
    assert board.total.spent == Decimal("900")
    assert board.spent_percent == 72
    assert board.pending.allocated == Decimal("2000")
    group = next(r for r in board.rows if r.group.pk == world.t1.group_id)
    assert group.totals.provincial == Decimal("800")

    client.force_login(world.coordinator)
    html = client.get(reverse("monitoring:dashboard", args=[cycle.pk])).content.decode()
    assert "Kinh phí thực hiện năm 2025" in html
    assert "Tổng kinh phí bố trí: 1.250 triệu đồng" in html
    assert "đã giải ngân 900 triệu đồng (72%)" in html
    assert "ghi thêm 2.000 triệu đồng bố trí" in html


def test_no_funding_says_so(client, world, cycle):
    client.force_login(world.coordinator)
    html = client.get(reverse("monitoring:dashboard", args=[cycle.pk])).content.decode()
    assert "Chưa có báo cáo nào (đã gửi hoặc đã tiếp nhận) ghi kinh phí của năm này." in html
