import io
import json

from django.core.management import call_command

from plantrack.consolidation.report.compile import consolidated_compile
from plantrack.notifications.models import Notification
from plantrack.reporting.models import AdHocRequest, AgencyReport, Evidence, ReportingCycle
from plantrack.reporting.services import report_submit

from .conftest import fill


def test_cycle_status_json(world, cycle, time_machine):
    import datetime

    from .conftest import VN

    report_a = fill(world.report(cycle, world.a), world.reporter_a)
    time_machine.move_to(datetime.datetime(2025, 12, 7, 10, 0, tzinfo=VN), tick=False)
    report_submit(actor=world.head_a, report=report_a)
    out = io.StringIO()
    call_command("cycle_status", "--plan", world.plan.code, "--year", "2025", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["plan"], data["year"], data["due_date"]) == ("99/KH-UBND", 2025, "2025-12-05")
    rows = {r["agency"]: r for r in data["agencies"]}
    assert set(rows) == {world.a.name, world.b.name, world.c.name}
    assert rows[world.a.name]["late"] is True and rows[world.a.name]["missing"] is False
    assert rows[world.a.name]["submitted_at"].startswith("2025-12-07T10:00")
    assert rows[world.b.name]["missing"] is True and rows[world.b.name]["label"] == "Chưa nộp (quá hạn)"


def test_demo_cycle_loads_every_state_and_removes_cleanly(plan_386, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from plantrack.accounts.services import demo_accounts_ensure

    demo_accounts_ensure(password="Demo@2025-test")
    call_command("demo_cycle", stdout=io.StringIO())
    cycle = ReportingCycle.objects.get(plan=plan_386, year=2025)
    assert cycle.is_demo
    states = set(AgencyReport.objects.filter(cycle=cycle).values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "accepted"}
    assert AgencyReport.objects.filter(cycle=cycle, is_late=True).exists()
    assert AgencyReport.objects.get(cycle=cycle, agency__name="Sở Nội vụ").state == "returned"
    assert AgencyReport.objects.get(cycle=cycle, agency__name="Sở Tài chính").state == "draft"
    # The department in charge reported on the tasks it leads, and its report was accepted (issue 12 point 5).
    own = AgencyReport.objects.get(cycle=cycle, agency=plan_386.coordinator_agency)
    assert own.state == "accepted"
    assert own.entries.filter(role="lead").exists()
    assert not own.entries.filter(results="").exclude(status="not_started").exists()
    assert Notification.objects.filter(is_demo=True).exists()
    assert all(n.subject.startswith("[DỮ LIỆU DEMO]") for n in Notification.objects.filter(is_demo=True))
    # The regimes demo: a 6-month cycle of 2026 with reports sent and accepted, and an ad hoc request.
    half = ReportingCycle.objects.get(plan=plan_386, year=2026, period_type="half_yearly")
    assert half.is_demo and str(half.label) == "6 tháng đầu năm 2026"
    assert {"submitted", "accepted"} <= set(half.reports.values_list("state", flat=True))
    ad_hoc = ReportingCycle.objects.get(plan=plan_386, period_type="ad_hoc")
    assert ad_hoc.is_demo and ad_hoc.reports.count() == 3
    assert not plan_386.regimes.exclude(period="yearly").exists()  # plan 386 itself still reports yearly
    # the demo consolidated report shows totals and a section V to the UBND tỉnh and a Ministry
    compilation = consolidated_compile(cycle=cycle)
    assert compilation.facts.plan.documents and compilation.facts.plan.allocated
    assert [g.heading for g in compilation.proposal_groups] == [
        "Kiến nghị Ủy ban nhân dân tỉnh",
        "Kiến nghị Bộ Khoa học và Công nghệ",
    ]
    call_command("demo_cycle", stdout=io.StringIO())  # idempotent
    assert ReportingCycle.objects.count() == 3
    out = io.StringIO()
    call_command("demo_cycle", "--remove", stdout=out)
    assert "Đã xóa DỮ LIỆU DEMO: 3 kỳ báo cáo" in out.getvalue()
    assert not AdHocRequest.objects.exists()
    assert not ReportingCycle.objects.exists() and not AgencyReport.objects.exists()
    assert not Evidence.objects.exists() and not Notification.objects.filter(is_demo=True).exists()
    assert not AgencyReport.history.exists()
