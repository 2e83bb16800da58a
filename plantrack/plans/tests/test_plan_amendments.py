"""Plan amendments (plans.amendments, reporting.amendments): drafting, preview, apply, undo, and what the reports
answer to. The Done-when case of issue 14 runs on plan 386 with its 2026 cycle open."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from plantrack.core.tests import pages_fixtures
from plantrack.orgs.models import Agency
from plantrack.plans.amendments import (
    AmendmentError,
    amendment_apply,
    amendment_blockers,
    amendment_change_add,
    amendment_create,
    amendment_preview,
    amendment_undo,
)
from plantrack.plans.models import Amendment, AmendmentState, ChangeKind, Recurrence, Task
from plantrack.plans.services import task_deadline_change
from plantrack.plans.tests.factories import AssignmentFactory, PlanFactory, TaskFactory, TaskGroupFactory
from plantrack.reporting import services as reporting
from plantrack.reporting.models import AgencyReport, EntryStatus, ReportEntry
from plantrack.reporting.timeliness import TaskTimeliness, plan_task_timeliness

default_data = pages_fixtures.default_data
personas = pages_fixtures.personas

VN = datetime.timezone(datetime.timedelta(hours=7))
JUNE_2026 = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=VN)

# The tables an amendment may touch; their history tables keep the apply and the undo as an audit trail.
TABLES = [
    "plans_task",
    "plans_assignment",
    "plans_target",
    "reporting_reportingcycle",
    "reporting_agencyreport",
    "reporting_reportentry",
]


def dump() -> dict[str, list[tuple]]:
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
            rows[table] = cursor.fetchall()
    return rows


@pytest.fixture
def june_2026():
    with time_machine.travel(JUNE_2026, tick=False):
        yield


@pytest.fixture
def amended_386(default_data, personas, june_2026):
    """Plan 386 with its 2026 cycle open and a draft amendment: add a task to Sở Tài chính, cancel III.1.c, move
    the deadline of III.4.c (given 30/06/2026 first, then moved to 31/12/2026)."""
    plan, coordinator = default_data, personas["coordinator"]
    task_deadline_change(
        actor=coordinator,
        task=plan.tasks.get(code="III.4.c"),
        deadline=datetime.date(2026, 6, 30),
    )
    cycle = reporting.cycle_open(actor=coordinator, plan=plan, year=2026)
    finance = Agency.objects.get(name="Sở Tài chính")
    amendment = amendment_create(
        actor=coordinator,
        plan=plan,
        number="120/KH-UBND",
        issued_on=datetime.date(2026, 6, 2),
        issuer="Ủy ban nhân dân tỉnh Đồng Nai",
        title="Sửa đổi, bổ sung Kế hoạch số 386/KH-UBND",
        effective_on=datetime.date(2026, 6, 5),
    )
    amendment_change_add(
        actor=coordinator,
        amendment=amendment,
        kind=ChangeKind.TASK_ADD,
        payload={
            "group": "III.2",
            "code": "III.2.e",
            "text": "Sở Tài chính bố trí kinh phí cho nhiệm vụ khoa học và công nghệ cấp tỉnh.",
            "deadline": "2026-12-31",
            "leads": [finance.pk],
        },
    )
    amendment_change_add(
        actor=coordinator,
        amendment=amendment,
        kind=ChangeKind.TASK_CANCEL,
        task=plan.tasks.get(code="III.1.c"),
    )
    amendment_change_add(
        actor=coordinator,
        amendment=amendment,
        kind=ChangeKind.TASK_CHANGE,
        task=plan.tasks.get(code="III.4.c"),
        payload={"deadline": "2026-12-31"},
    )
    return plan, cycle, amendment, coordinator, finance


def test_preview_lists_the_report_changes_and_changes_nothing(amended_386):
    plan, cycle, amendment, coordinator, finance = amended_386
    before = dump()

    preview = amendment_preview(actor=coordinator, amendment=amendment)

    assert dump() == before
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.DRAFT
    assert preview["changes"] == [
        "Bổ sung nhiệm vụ III.2.e (thời hạn 31/12/2026)",
        "Bãi bỏ nhiệm vụ III.1.c",
        "Sửa đổi nhiệm vụ III.4.c (thời hạn 31/12/2026)",
    ]
    assert preview["deadlines"] == [
        {"task": "III.4.c", "before": datetime.date(2026, 6, 30), "after": datetime.date(2026, 12, 31)}
    ]
    [row] = preview["reporting"]
    assert row["cycle"] == cycle.label
    assert row["reports_added"] == []  # Sở Tài chính already reports in 2026
    assert row["entries_added"] == ["Sở Tài chính: III.2.e"]
    closed = {
        f"{e.report.agency.name}: III.1.c"
        for e in ReportEntry.objects.filter(report__cycle=cycle, task__code="III.1.c").select_related(
            "report__agency"
        )
    }
    assert closed and set(row["entries_closed"]) == closed


def test_apply_then_undo_leaves_the_database_exactly_as_before(amended_386):
    plan, cycle, amendment, coordinator, finance = amended_386
    before = dump()

    amendment_apply(actor=coordinator, amendment=amendment)

    new = Task.objects.get(plan=plan, code="III.2.e")
    report = AgencyReport.objects.get(cycle=cycle, agency=finance)
    assert report.entries.filter(task=new, role="lead").exists()
    cancelled = Task.objects.get(plan=plan, code="III.1.c")
    assert cancelled.cancelled_by == amendment and cancelled.cancelled_on == datetime.date(2026, 6, 5)
    closed = ReportEntry.objects.filter(report__cycle=cycle, task=cancelled)
    assert closed.exists()
    assert {e.closed_note for e in closed} == {"Đã hủy theo Kế hoạch số 120/KH-UBND ngày 02/06/2026"}
    assert Task.objects.get(plan=plan, code="III.4.c").deadline == datetime.date(2026, 12, 31)
    assert dump() != before

    amendment_undo(actor=coordinator, amendment=Amendment.objects.get(pk=amendment.pk))

    assert dump() == before
    assert Amendment.objects.get(pk=amendment.pk).state == AmendmentState.DRAFT


def test_undo_is_refused_once_an_added_entry_is_written_in(amended_386, personas):
    plan, cycle, amendment, coordinator, finance = amended_386
    amendment_apply(actor=coordinator, amendment=amendment)
    report = AgencyReport.objects.get(cycle=cycle, agency=finance)
    entry = report.entries.get(task__code="III.2.e")
    reporting.report_save_draft(
        actor=personas["reporter"],
        report=report,
        version=report.version,
        sections={},
        entries={entry.pk: {"status": EntryStatus.IN_PROGRESS, "results": "Đã bố trí", "difficulties": ""}},
    )

    amendment.refresh_from_db()
    assert amendment_blockers(amendment=amendment)
    with pytest.raises(AmendmentError, match="III.2.e"):
        amendment_undo(actor=coordinator, amendment=amendment)
    assert Task.objects.filter(plan=plan, code="III.2.e").exists()


def test_a_closed_entry_asks_for_nothing_before_sending(amended_386):
    plan, cycle, amendment, coordinator, finance = amended_386
    amendment_apply(actor=coordinator, amendment=amendment)
    entry = ReportEntry.objects.filter(report__cycle=cycle, task__code="III.1.c").first()

    missing = reporting.report_missing_items(entry.report)

    assert "III.1.c" not in {m.task_code for m in missing}


def test_only_the_plan_coordinator_may_amend(amended_386, personas):
    plan, cycle, amendment, coordinator, finance = amended_386
    for role in ("reporter", "head", "viewer", "other_reporter"):
        with pytest.raises(AmendmentError):
            amendment_apply(actor=personas[role], amendment=amendment)
        with pytest.raises(AmendmentError):
            amendment_create(
                actor=personas[role],
                plan=plan,
                number=f"9/{role}",
                issued_on=datetime.date(2026, 6, 2),
                issuer="UBND tỉnh",
                title="x",
            )


def test_timeliness_follows_a_deadline_moved_by_an_amendment(amended_386):
    plan, cycle, amendment, coordinator, finance = amended_386
    as_of = datetime.date(2026, 7, 15)  # past 30/06, the deadline before the amendment

    def states():
        return {r.state for r in plan_task_timeliness(plan=plan, as_of=as_of) if r.task.code == "III.4.c"}

    assert states() == {TaskTimeliness.OVERDUE}
    amendment_apply(actor=coordinator, amendment=amendment)
    assert states() == {TaskTimeliness.NOT_DUE}


def test_a_cancelled_task_is_owed_by_nobody_after_its_effective_date(amended_386):
    plan, cycle, amendment, coordinator, finance = amended_386
    amendment_apply(actor=coordinator, amendment=amendment)

    codes_after = {r.task.code for r in plan_task_timeliness(plan=plan, as_of=datetime.date(2026, 7, 1))}
    codes_before = {r.task.code for r in plan_task_timeliness(plan=plan, as_of=datetime.date(2026, 6, 1))}

    assert "III.1.c" in codes_before and "III.1.c" not in codes_after
    assert "III.2.e" in codes_after
    from plantrack.plans.selectors import agency_task_rows

    finance_codes = {r.task.code for r in agency_task_rows(agency=finance, day=datetime.date(2026, 7, 1))}
    assert "III.2.e" in finance_codes
    owner = ReportEntry.objects.filter(task__code="III.1.c", report__cycle=cycle).first().report.agency
    assert "III.1.c" not in {
        r.task.code for r in agency_task_rows(agency=owner, day=datetime.date(2026, 7, 1))
    }


@pytest.mark.django_db
def test_a_new_lead_agency_gets_a_report_and_old_entries_keep_their_text():
    with time_machine.travel(JUNE_2026, tick=False):
        from plantrack.accounts.tests.factories import UserFactory
        from plantrack.orgs.tests.factories import AgencyFactory

        dept, a, newcomer = AgencyFactory(), AgencyFactory(), AgencyFactory()
        coordinator = UserFactory(username="dp", role="coordinator", agency=dept)
        plan = PlanFactory(coordinator_agency=dept)
        group = TaskGroupFactory(plan=plan, code="III.1")
        task = TaskFactory(plan=plan, group=group, code="III.1.a", text="Văn bản cũ")
        AssignmentFactory(task=task, agency=a)
        cycle = reporting.cycle_open(actor=coordinator, plan=plan, year=2026)
        amendment = amendment_create(
            actor=coordinator,
            plan=plan,
            number="5/KH-UBND",
            issued_on=datetime.date(2026, 6, 1),
            issuer="UBND tỉnh",
            title="Sửa đổi",
        )
        amendment_change_add(
            actor=coordinator,
            amendment=amendment,
            kind=ChangeKind.TASK_CHANGE,
            task=task,
            payload={"text": "Văn bản mới", "leads": [newcomer.pk]},
        )
        before = dump()

        preview = amendment_preview(actor=coordinator, amendment=amendment)
        assert preview["reporting"][0]["reports_added"] == [newcomer.name]
        amendment_apply(actor=coordinator, amendment=amendment)

        old = ReportEntry.objects.get(report__cycle=cycle, report__agency=a)
        assert old.task_text_in_force == "Văn bản cũ" and old.closed_note.startswith("Không còn được giao")
        fresh = ReportEntry.objects.get(report__cycle=cycle, report__agency=newcomer)
        assert fresh.task_text_in_force == "Văn bản mới" and fresh.role == "lead"
        amendment_undo(actor=coordinator, amendment=Amendment.objects.get(pk=amendment.pk))
        assert dump() == before


@pytest.mark.django_db
def test_drafting_refuses_what_the_plan_cannot_take(default_data, personas, june_2026):
    plan, coordinator = default_data, personas["coordinator"]
    amendment = amendment_create(
        actor=coordinator,
        plan=plan,
        number="7/KH-UBND",
        issued_on=datetime.date(2026, 6, 1),
        issuer="UBND",
        title="x",
    )
    with pytest.raises(AmendmentError):  # the code is taken
        amendment_change_add(
            actor=coordinator,
            amendment=amendment,
            kind=ChangeKind.TASK_ADD,
            payload={"group": "III.2", "code": "III.2.c", "text": "x", "leads": [plan.coordinator_agency_id]},
        )
    with pytest.raises(AmendmentError):  # nothing to change
        amendment_change_add(
            actor=coordinator,
            amendment=amendment,
            kind=ChangeKind.TASK_CHANGE,
            task=plan.tasks.first(),
            payload={},
        )
    with pytest.raises(AmendmentError):  # no change at all
        amendment_apply(actor=coordinator, amendment=amendment)
    with pytest.raises(AmendmentError):  # the number is taken
        amendment_create(
            actor=coordinator,
            plan=plan,
            number="7/KH-UBND",
            issued_on=datetime.date(2026, 6, 1),
            issuer="U",
            title="y",
        )
    assert Task.objects.filter(plan=plan, recurrence=Recurrence.ONCE).count() == 0


@pytest.mark.django_db
def test_import_replace_with_reports_is_refused_with_a_message(default_data, personas, june_2026):
    """A CommandError: manage.py prints its message on stderr and exits 1, without a traceback."""
    from django.conf import settings

    reporting.cycle_open(actor=personas["coordinator"], plan=default_data, year=2026)
    source = settings.BASE_DIR / "plantrack" / "plans" / "default_data" / "plan_386_KH-UBND.json"

    with pytest.raises(CommandError, match="Không thay được kế hoạch 386/KH-UBND.*kỳ báo cáo"):
        call_command("import_plan_json", str(source), "--replace")


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
def test_load_default_applies_the_demo_amendment_once(settings, tmp_path):
    """``make run``'s loader, twice: the second run adds no row anywhere."""
    from io import StringIO

    from plantrack.plans.demo import DEMO_NUMBER

    settings.MEDIA_ROOT = str(tmp_path)
    settings.PLANTRACK_DEMO_PASSWORD = settings.PLANTRACK_DEMO_PASSWORD or "demo-thu-2026"
    call_command("load_default", stdout=StringIO())
    plan = Amendment.objects.get(number=DEMO_NUMBER).plan
    amendment = Amendment.objects.get(plan=plan, number=DEMO_NUMBER)
    assert amendment.state == AmendmentState.APPLIED
    assert plan.tasks.get(code="III.1.c").cancelled_by == amendment
    assert plan.tasks.get(code="III.2.e").assignments.get().agency.name == "Sở Tài chính"
    before = _row_counts()

    call_command("load_default", stdout=StringIO())

    assert _row_counts() == before


def test_a_report_already_sent_is_left_as_sent(amended_386):
    from plantrack.accounts.tests.factories import UserFactory

    plan, cycle, amendment, coordinator, finance = amended_386
    report = AgencyReport.objects.filter(cycle=cycle, entries__task__code="III.1.c").first()
    head = UserFactory(username="head_iii1c", role="head", agency=report.agency)
    entries = {
        e.pk: {"status": EntryStatus.IN_PROGRESS, "results": "Đã làm", "difficulties": ""}
        for e in report.entries.all()
    }
    report = reporting.report_save_draft(
        actor=head, report=report, version=report.version, sections={}, entries=entries
    )
    reporting.report_submit(actor=head, report=report)

    amendment_apply(actor=coordinator, amendment=amendment)

    # In 2026 only the merged Báo và Phát thanh, Truyền hình Đồng Nai owes III.1.c: its sent report is untouched.
    assert report.entries.filter(task__code="III.1.c").exists()
    assert not report.entries.exclude(closed_note="").exists()
    assert report.entries.count() == len(entries)


def test_the_plan_page_shows_the_plan_as_amended(amended_386, client):
    from django.urls import reverse

    plan, cycle, amendment, coordinator, finance = amended_386
    client.force_login(coordinator)
    page = client.get(reverse("plans:amendment_detail", args=[amendment.pk])).content.decode()
    assert "Xem trước tác động" in page and "Sở Tài chính: III.2.e" in page

    response = client.post(reverse("plans:amendment_apply", args=[amendment.pk]))
    assert response.status_code == 302

    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Đã hủy theo Kế hoạch số 120/KH-UBND ngày 02/06/2026" in page
    assert "task-cancelled" in page
    assert "Sửa đổi nhiệm vụ III.4.c (thời hạn 31/12/2026) — sửa đổi theo Kế hoạch số 120/KH-UBND" in page
    assert "III.2.e" in page
    api = client.get(f"/api/v1/plans/{plan.pk}/amendments/").json()
    assert [a["number"] for a in api] == ["120/KH-UBND"] and len(api[0]["changes"]) == 3


def test_a_coordinator_enters_an_amendment_on_the_pages(default_data, personas, june_2026, client):
    from django.urls import reverse

    plan, coordinator = default_data, personas["coordinator"]
    task = plan.tasks.get(code="III.4.c")
    client.force_login(personas["reporter"])
    assert client.post(reverse("plans:amendment_list", args=[plan.pk]), {}).status_code == 403
    client.force_login(coordinator)

    response = client.post(
        reverse("plans:amendment_list", args=[plan.pk]),
        {
            "number": "121/KH-UBND",
            "issued_on": "02/06/2026",
            "issuer": "Ủy ban nhân dân tỉnh Đồng Nai",
            "title": "Sửa đổi thời hạn",
            "effective_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    amendment = Amendment.objects.get(plan=plan, number="121/KH-UBND")
    assert amendment.effective_on == datetime.date(2026, 6, 2)
    response = client.post(
        reverse("plans:amendment_change_add", args=[amendment.pk]),
        {"kind": ChangeKind.TASK_CHANGE, "task": task.pk, "deadline": "30/09/2026"},
    )
    assert response.status_code == 302
    assert amendment.changes.get().payload == {"deadline": "2026-09-30"}
    client.post(reverse("plans:amendment_apply", args=[amendment.pk]))
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 9, 30) and task.recurrence == Recurrence.ONCE
    page = client.get(reverse("plans:amendment_detail", args=[amendment.pk])).content.decode()
    assert "có thể hoàn tác" in page
    client.force_login(personas["viewer"])  # an applied amendment is read by every reader of the plan
    assert "121/KH-UBND" in client.get(reverse("plans:amendment_list", args=[plan.pk])).content.decode()
    assert client.get(reverse("plans:amendment_detail", args=[amendment.pk])).status_code == 200
    client.force_login(coordinator)
    client.post(reverse("plans:amendment_undo", args=[amendment.pk]))
    task.refresh_from_db()
    assert task.deadline is None and task.recurrence == Recurrence.CONTINUOUS


def test_undo_is_refused_once_an_added_target_has_figures(amended_386):
    """Undoing would delete the target with its indicator and every figure entered for it (review finding)."""
    from plantrack.indicators.services import figure_record
    from plantrack.indicators.setup import MeasureSpec, measurement_set

    plan, _cycle, amendment, coordinator, _finance = amended_386
    amendment_change_add(
        actor=coordinator,
        amendment=amendment,
        kind=ChangeKind.TARGET_ADD,
        payload={
            "code": "II.2.10",
            "text": "Có ít nhất 20 doanh nghiệp khoa học và công nghệ.",
            "comparator": "at_least",
            "min": "20",
            "unit": "doanh nghiệp",
            "target_year": 2030,
        },
    )
    amendment_apply(actor=coordinator, amendment=amendment)
    target = plan.targets.get(code="II.2.10")
    definition = measurement_set(actor=coordinator, target=target, spec=MeasureSpec())
    figure_record(actor=coordinator, indicator=definition, year=2026, value="12", source_note="Sở KH&CN")

    amendment.refresh_from_db()
    with pytest.raises(AmendmentError, match="II.2.10"):
        amendment_undo(actor=coordinator, amendment=amendment)
    assert definition.figures.count() == 1


def test_the_amendment_list_exports_its_rows_with_formulas_escaped_once(amended_386, client):
    plan, _cycle, amendment, coordinator, _finance = amended_386
    Amendment.objects.filter(pk=amendment.pk).update(title="=Sửa đổi 386")
    client.force_login(coordinator)
    url = reverse("plans:amendment_list", args=[plan.pk])
    assert "xuat=csv" in client.get(url).content.decode()
    text = client.get(url, {"xuat": "csv"}).content.decode("utf-8-sig")
    line = next(r for r in text.splitlines() if "120/KH-UBND" in r)
    assert ",Ủy ban nhân dân tỉnh Đồng Nai,'=Sửa đổi 386,05/06/2026,3," in line
    assert "''=" not in text
