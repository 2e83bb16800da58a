"""Generate a synthetic national dataset on PostgreSQL for the page benches (issue 17).

    PLANTRACK_ENV=dev .venv/bin/python bench/scale.py [--fraction 0.02] [--database-url URL] [--seed 17]
    PLANTRACK_ENV=dev .venv/bin/python bench/scale.py --drop        # remove the bench database

At ``--fraction 1``: 34 provinces × 100 agencies, 20 plans per province × 50 tasks, 6 yearly cycles per plan
(the current year open, the five before closed) with a report from every agency that owes a task, its entries,
submissions, transitions, review comments, indicator figures for every year, reminder logs and notifications.
A smaller fraction keeps the shape of a province and scales the number of provinces first, then agencies and plans
per province (``--fraction 0.02``: 1 province, 82 agencies, 16 plans — about 2 % of the national row counts).

The database (default ``postgres://postgres@127.0.0.1:5432/plantrack_scale``) is dropped and created again, migrated
with ``manage.py migrate``, then filled through bulk inserts (``bulk_create`` in batches, one transaction per
province), consistent with the model constraints. History tables (django-simple-history) are not filled: the
pages measured do not read them. Rows are written around the services on purpose — the services write one report
at a time, which would take hours at national scale — so the states are set the way the services would set them.

It also creates the personas of ``bench/pages.py``, all with the password ``PERSONA_PASSWORD``:
``bench-coordinator`` (coordinator of the first plan of the first province), ``bench-head`` and
``bench-reporter`` (head and reporter of an agency in the middle of the province's list that owes tasks in that
plan; its report in the open cycle is a draft), ``bench-viewer`` and ``bench-admin``.

Prints the row count of every model, the database size and the time taken.
"""

import argparse
import datetime
import math
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/plantrack_scale"
PERSONA_PASSWORD = "Bench-plantrack-2026"  # noqa: S105 (a throwaway bench database on loopback)

FULL_PROVINCES, FULL_AGENCIES, FULL_PLANS, TASKS_PER_PLAN, YEARS = 34, 100, 20, 50, 6
TASK_GROUPS = 5
TARGETS_PER_PLAN = 8
DEPARTMENT_SHARE = 0.3  # the rest of a province's agencies are district committees and other bodies
BATCH = 2000
APPS = {"accounts", "orgs", "plans", "reporting", "indicators", "monitoring", "notifications"}

PROVINCES = [
    "thành phố Hà Nội", "thành phố Huế", "tỉnh Lai Châu", "tỉnh Điện Biên", "tỉnh Sơn La", "tỉnh Lạng Sơn",
    "tỉnh Quảng Ninh", "tỉnh Thanh Hóa", "tỉnh Nghệ An", "tỉnh Hà Tĩnh", "tỉnh Cao Bằng", "tỉnh Tuyên Quang",
    "tỉnh Lào Cai", "tỉnh Thái Nguyên", "tỉnh Phú Thọ", "tỉnh Bắc Ninh", "tỉnh Hưng Yên", "thành phố Hải Phòng",
    "tỉnh Ninh Bình", "tỉnh Quảng Trị", "thành phố Đà Nẵng", "tỉnh Quảng Ngãi", "tỉnh Gia Lai", "tỉnh Khánh Hòa",
    "tỉnh Lâm Đồng", "tỉnh Đắk Lắk", "Thành phố Hồ Chí Minh", "tỉnh Đồng Nai", "tỉnh Tây Ninh",
    "thành phố Cần Thơ", "tỉnh Vĩnh Long", "tỉnh Đồng Tháp", "tỉnh Cà Mau", "tỉnh An Giang",
]  # fmt: skip
DEPARTMENTS = [
    ("Sở Khoa học và Công nghệ", "SKHCN"), ("Sở Tài chính", "STC"), ("Sở Nội vụ", "SNV"),
    ("Sở Tư pháp", "STP"), ("Sở Công Thương", "SCT"), ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("Sở Xây dựng", "SXD"), ("Sở Giáo dục và Đào tạo", "SGDĐT"), ("Sở Y tế", "SYT"),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL"), ("Sở Ngoại vụ", "SNgV"), ("Thanh tra tỉnh", "TTr"),
    ("Văn phòng UBND tỉnh", "VP"), ("Sở Dân tộc và Tôn giáo", "SDTTG"), ("Ban Quản lý các khu công nghiệp", "BQL"),
    ("Đài Phát thanh và Truyền hình", "ĐPTTH"), ("Công an tỉnh", "CA"), ("Bộ Chỉ huy Quân sự tỉnh", "BCHQS"),
]  # fmt: skip
RESULT = (
    "Đã ban hành {n} văn bản triển khai; tổ chức {m} hội nghị quán triệt, tuyên truyền với khoảng {k} lượt cán bộ, "
    "công chức, viên chức tham dự; phối hợp các cơ quan liên quan triển khai các nội dung của nhiệm vụ, bố trí "
    "kinh phí từ nguồn sự nghiệp khoa học và công nghệ, đánh giá kết quả và đề xuất giải pháp cho năm tiếp theo."
)
TASK_TEXT = (
    "Triển khai nhiệm vụ {code}: xây dựng, hoàn thiện cơ chế, chính sách thúc đẩy phát triển khoa học, công nghệ, "
    "đổi mới sáng tạo và chuyển đổi số trong lĩnh vực được giao; tổ chức thực hiện, kiểm tra, đánh giá hằng năm."
)


def scaled_sizes(fraction: float) -> tuple[int, int, int]:
    """(provinces, agencies per province, plans per province) whose product is about ``fraction`` of national."""
    if not 0 < fraction <= 1:
        raise SystemExit("--fraction must be in (0, 1].")
    provinces = max(1, round(FULL_PROVINCES * fraction))
    rest = math.sqrt(fraction * FULL_PROVINCES / provinces)
    agencies = min(FULL_AGENCIES, max(10, round(FULL_AGENCIES * rest)))
    plans = min(FULL_PLANS, max(2, round(FULL_PLANS * rest)))
    return provinces, agencies, plans


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name or not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing database name {name!r}: letters, digits and _ only.")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


class Generator:
    def __init__(self, *, provinces: int, agencies: int, plans: int, seed: int) -> None:
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        self.n_provinces, self.n_agencies, self.n_plans = provinces, agencies, plans
        self.rng = random.Random(seed)
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.years = list(range(self.today.year - YEARS + 1, self.today.year + 1))
        # One hash for every generated account: hashing 7,000 passwords would take minutes and prove nothing.
        self.password_hash = make_password(PERSONA_PASSWORD)
        self.personas: dict[str, object] = {}

    # --- helpers ------------------------------------------------------------------------------------------
    def at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60)), tzinfo=self.tz)

    def result_text(self) -> str:
        return RESULT.format(n=self.rng.randint(1, 12), m=self.rng.randint(1, 6), k=self.rng.randint(50, 900))

    def bulk(self, model, objs: list) -> list:
        return model.objects.bulk_create(objs, batch_size=BATCH)

    def user(self, username: str, *, role: str, agency=None, full_name: str = "", **extra):
        from plantrack.accounts.models import User

        return User(
            username=username,
            password=self.password_hash,
            role=role,
            agency=agency,
            full_name=full_name or username,
            email=f"{username}@bench.invalid",
            password_changed_at=self.now,
            **extra,
        )

    # --- the whole country --------------------------------------------------------------------------------
    def run(self) -> None:
        from django.db import transaction

        from plantrack.accounts.models import Role, User
        from plantrack.orgs.models import Agency, AgencyKind

        with transaction.atomic():
            central = Agency(name="Bộ Khoa học và Công nghệ", short_name="Bộ KH&CN", kind=AgencyKind.CENTRAL)
            central.refresh_search_text()
            central.save()
            self.bulk(
                User,
                [
                    self.user("bench-viewer", role=Role.VIEWER, full_name="Người xem (bench)"),
                    self.user(
                        "bench-admin",
                        role=Role.ADMIN,
                        full_name="Quản trị (bench)",
                        is_staff=True,
                        is_superuser=True,
                    ),
                ],
            )
        for p in range(self.n_provinces):
            started = time.perf_counter()
            with transaction.atomic():
                self.province(p)
            print(
                f"  province {p + 1}/{self.n_provinces} ({PROVINCES[p]}): {time.perf_counter() - started:.1f} s"
            )

    def province(self, p: int) -> None:
        from plantrack.accounts.models import Role, User
        from plantrack.core.text import fold
        from plantrack.orgs.models import Agency, AgencyGroup, AgencyKind, GroupMembership

        where = PROVINCES[p]
        committee = Agency(
            name=f"Ủy ban nhân dân {where}", short_name=f"UBND {where}", kind=AgencyKind.PROVINCIAL_COMMITTEE
        )
        committee.refresh_search_text()
        committee.save()
        n_departments = max(5, round(self.n_agencies * DEPARTMENT_SHARE))
        agencies = []
        for i in range(self.n_agencies):
            if i < n_departments:
                base, abbr = DEPARTMENTS[i % len(DEPARTMENTS)]
                if i >= len(DEPARTMENTS):
                    base, abbr = f"Ban chuyên ngành số {i + 1}", f"BCN{i + 1}"
                kind = AgencyKind.DEPARTMENT
            else:
                base, abbr = f"Ủy ban nhân dân khu vực {i - n_departments + 1}", ""
                kind = AgencyKind.DISTRICT_COMMITTEE if i % 4 else AgencyKind.OTHER
            agency = Agency(
                name=f"{base} {where}",
                short_name=base,
                abbreviations=abbr,
                kind=kind,
                parent=committee,
                email=f"p{p}a{i}@bench.invalid",
            )
            agency.refresh_search_text()
            agencies.append(agency)
        agencies = self.bulk(Agency, agencies)
        departments, others = agencies[:n_departments], agencies[n_departments:]

        groups = [
            AgencyGroup(code=f"so-ban-nganh-p{p}", name=f"Các sở, ban, ngành {where}"),
            AgencyGroup(code=f"ubnd-khu-vuc-p{p}", name=f"UBND các khu vực {where}"),
        ]
        for g in groups:
            g.search_text = fold(g.name)
        groups = self.bulk(AgencyGroup, groups)
        self.bulk(
            GroupMembership,
            [GroupMembership(group=groups[0], agency=a) for a in departments]
            + [GroupMembership(group=groups[1], agency=a) for a in others],
        )

        # People: a head and a reporter per agency; a coordinator in each department that follows plans up.
        coordinator_agencies = departments[: min(5, len(departments))]
        users = []
        for i, a in enumerate(agencies):
            users.append(
                self.user(f"p{p}a{i}-head", role=Role.HEAD, agency=a, full_name=f"Lãnh đạo {a.short_name}")
            )
            users.append(
                self.user(
                    f"p{p}a{i}-reporter",
                    role=Role.REPORTER,
                    agency=a,
                    full_name=f"Chuyên viên {a.short_name}",
                )
            )
        for i, a in enumerate(coordinator_agencies):
            users.append(
                self.user(f"p{p}c{i}", role=Role.COORDINATOR, agency=a, full_name=f"Điều phối {a.short_name}")
            )
        users = self.bulk(User, users)
        people = defaultdict(list)  # agency id -> [head, reporter]
        coordinators = {}
        for u in users:
            if u.role == Role.COORDINATOR:
                coordinators[u.agency_id] = u
            else:
                people[u.agency_id].append(u)
        if p == 0:
            # The coordinator persona works in the department that follows the first plan up (and every fifth).
            self.bulk(
                User,
                [
                    self.user(
                        "bench-coordinator",
                        role=Role.COORDINATOR,
                        agency=coordinator_agencies[0],
                        full_name="Điều phối (bench)",
                    )
                ],
            )

        for k in range(self.n_plans):
            self.plan(
                p=p,
                k=k,
                committee=committee,
                coordinator_agency=coordinator_agencies[k % len(coordinator_agencies)],
                agencies=agencies,
                groups=groups,
                departments=departments,
                people=people,
                coordinators=coordinators,
            )

    # --- one plan and its six cycles ----------------------------------------------------------------------
    def plan(
        self, *, p, k, committee, coordinator_agency, agencies, groups, departments, people, coordinators
    ):
        from plantrack.core.text import fold
        from plantrack.plans.models import (
            Assignment,
            AssignmentRole,
            DutyKind,
            OutlineNode,
            Plan,
            PlanDuty,
            PlanRecipient,
            Recurrence,
            Task,
            TaskGroup,
        )

        rng = self.rng
        plan = Plan.objects.create(
            number=str(100 + k),
            symbol="KH-UBND",
            issuer=committee,
            place=PROVINCES[p].split(" ", 1)[-1].removeprefix("phố "),
            issued_on=datetime.date(self.years[0] - 1, 1 + k % 12, 1 + k % 27),
            title=f"Kế hoạch thực hiện chương trình phát triển khoa học, công nghệ và đổi mới sáng tạo số {k + 1} "
            f"giai đoạn {self.years[0]}–{self.years[-1]}",
            coordinator_agency=coordinator_agency,
            report_due_day=5,
            report_due_month=12,
        )
        self.bulk(
            OutlineNode,
            [
                OutlineNode(plan=plan, code=code, label=label, title=title, depth=0, order=i)
                for i, (code, label, title) in enumerate(
                    [
                        ("I", "I.", "MỤC ĐÍCH, YÊU CẦU"),
                        ("II", "II.", "MỤC TIÊU"),
                        ("III", "III.", "NHIỆM VỤ, GIẢI PHÁP"),
                        ("IV", "IV.", "TỔ CHỨC THỰC HIỆN"),
                    ]  # fmt: skip
                )
            ],
        )
        self.bulk(
            PlanRecipient,
            [
                PlanRecipient(plan=plan, text=f"- {groups[0].name};", group=groups[0], order=0),
                PlanRecipient(plan=plan, text=f"- {groups[1].name};", group=groups[1], order=1),
                PlanRecipient(plan=plan, text="- Lưu: VT.", order=2),
            ],
        )
        duty = PlanDuty.objects.create(
            plan=plan,
            code="IV.1",
            kind=DutyKind.REPORT,
            text="Các cơ quan, đơn vị báo cáo kết quả thực hiện trước ngày 05/12 hằng năm.",
            who_text="Các sở, ban, ngành; UBND các khu vực",
            recipient=coordinator_agency,
            recipient_text=coordinator_agency.name,
            due_day=5,
            due_month=12,
        )
        duty.groups.set(groups)
        task_groups = self.bulk(
            TaskGroup,
            [
                TaskGroup(
                    plan=plan, code=f"III.{g + 1}", title=f"Nhóm nhiệm vụ, giải pháp số {g + 1}", order=g
                )
                for g in range(TASK_GROUPS)
            ],  # fmt: skip
        )
        tasks = []
        for t in range(TASKS_PER_PLAN):
            group = task_groups[t * TASK_GROUPS // TASKS_PER_PLAN]
            code = f"{group.code}.{t % (TASKS_PER_PLAN // TASK_GROUPS) + 1}"
            recurrence = (Recurrence.CONTINUOUS, Recurrence.YEARLY, Recurrence.ONCE)[t % 3]
            task = Task(
                plan=plan,
                group=group,
                code=code,
                text=TASK_TEXT.format(code=code),
                recurrence=recurrence,
                deadline=datetime.date(self.years[0] + t % YEARS, 12, 31)
                if recurrence == Recurrence.ONCE
                else None,
                order=t,
            )
            task.search_text = fold(f"{task.code} {task.text}")
            tasks.append(task)
        tasks = self.bulk(Task, tasks)

        # Assignments: one lead and two or three coordinating agencies, rotating so that every agency of the
        # province owes something; every fifth task also names the group of departments (expanded to its members).
        assignments = []
        owed: dict[int, dict[int, str]] = defaultdict(dict)  # agency id -> task id -> role (lead wins)
        cursor = rng.randrange(len(agencies))
        for t, task in enumerate(tasks):
            picks = []
            for _ in range(1 + 2 + t % 2):
                picks.append(agencies[cursor % len(agencies)])
                cursor += 1 + rng.randrange(2)
            for order, agency in enumerate(dict.fromkeys(picks)):
                role = AssignmentRole.LEAD if order == 0 else AssignmentRole.COORDINATE
                assignments.append(
                    Assignment(task=task, role=role, agency=agency, as_written=agency.short_name, order=order)
                )
                if owed[agency.pk].get(task.pk) != AssignmentRole.LEAD:
                    owed[agency.pk][task.pk] = role
            if t % 5 == 4:
                assignments.append(
                    Assignment(
                        task=task,
                        role=AssignmentRole.COORDINATE,
                        group=groups[0],
                        as_written=groups[0].name,
                        order=9,
                    )
                )
                for agency in departments:
                    owed[agency.pk].setdefault(task.pk, AssignmentRole.COORDINATE)
        self.bulk(Assignment, assignments)

        definitions = self.indicators(plan=plan, provider=coordinator_agency, people=people)
        coordinator = coordinators[coordinator_agency.pk]
        self.personas.setdefault("plan", plan)
        for year in self.years:
            self.cycle(
                plan=plan,
                year=year,
                tasks=tasks,
                owed=owed,
                people=people,
                coordinator=coordinator,
                agencies={a.pk: a for a in agencies},
                definitions=definitions,
            )

    def indicators(self, *, plan, provider, people):
        from plantrack.indicators.models import (
            IndicatorComponent,
            IndicatorDefinition,
            IndicatorKind,
            ValueType,
            YearlyFigure,
        )
        from plantrack.plans.models import Comparator, Target

        rng = self.rng
        comparators = [Comparator.AT_LEAST, Comparator.APPROXIMATELY, Comparator.AT_MOST, Comparator.AT_LEAST]
        targets = []
        for i in range(TARGETS_PER_PLAN):
            comparator = comparators[i % len(comparators)]
            goal = Decimal(rng.randint(20, 90))
            targets.append(
                Target(
                    plan=plan,
                    code=f"II.2.{i + 1}",
                    text=f"Chỉ tiêu số {i + 1}: tỷ lệ đạt {goal} % vào năm {self.years[-1]}",
                    short_name=f"Chỉ tiêu {i + 1}",
                    unit="%",
                    comparator=comparator,
                    min_value=goal if comparator != Comparator.AT_MOST else None,
                    max_value=goal if comparator == Comparator.AT_MOST else None,
                    period_start_year=self.years[0],
                    target_year=self.years[-1],
                    baseline_year=self.years[0] - 1,
                    baseline_value=goal / 2,
                    order=i,
                )
            )
        targets = self.bulk(Target, targets)
        definitions = []
        for i, target in enumerate(targets):
            computed = i % 4 == 3
            definitions.append(
                IndicatorDefinition(
                    target=target,
                    kind=IndicatorKind.COMPUTED if computed else IndicatorKind.DIRECT,
                    formula="dat / tong * 100" if computed else "",
                    provider=provider,
                    unit="%",
                    value_type=ValueType.PERCENT if not computed else ValueType.DECIMAL,
                    baseline_year=target.baseline_year,
                    baseline_value=target.baseline_value,
                )
            )
        definitions = self.bulk(IndicatorDefinition, definitions)
        components = []
        for d in definitions:
            if d.kind == IndicatorKind.COMPUTED:
                components += [
                    IndicatorComponent(
                        definition=d, name="dat", label="Số đơn vị đạt", value_type=ValueType.INTEGER, order=0
                    ),
                    IndicatorComponent(
                        definition=d,
                        name="tong",
                        label="Tổng số đơn vị",
                        value_type=ValueType.INTEGER,
                        order=1,
                    ),
                ]
        components = self.bulk(IndicatorComponent, components)
        by_definition = defaultdict(list)
        for c in components:
            by_definition[c.definition_id].append(c)
        entered_by = people[provider.pk][0]
        figures = []
        for d, target in zip(definitions, targets, strict=True):
            goal = target.min_value or target.max_value
            for step, year in enumerate(self.years):
                common = {
                    "definition": d,
                    "year": year,
                    "agency": provider,
                    "entered_by": entered_by,
                    "source_note": "Niên giám thống kê",
                }
                if d.kind == IndicatorKind.COMPUTED:
                    total = rng.randint(80, 120)
                    done = min(total, round(total * (0.3 + 0.1 * step + rng.random() * 0.1)))
                    figures += [
                        YearlyFigure(component=by_definition[d.pk][0], value=Decimal(done), **common),
                        YearlyFigure(component=by_definition[d.pk][1], value=Decimal(total), **common),
                    ]
                else:
                    value = goal / 2 + (goal / 2) * Decimal(step + 1) / YEARS * Decimal(
                        0.8 + rng.random() * 0.3
                    )
                    figures.append(YearlyFigure(value=value.quantize(Decimal("0.01")), **common))
        self.bulk(YearlyFigure, figures)
        return definitions

    def cycle(self, *, plan, year, tasks, owed, people, coordinator, agencies, definitions):
        from plantrack.monitoring.models import ReminderLog, ReminderSchedule
        from plantrack.notifications.models import Notification
        from plantrack.reporting.models import (
            AgencyReport,
            CycleState,
            EntryStatus,
            ReportEntry,
            ReportingCycle,
            ReportState,
            ReportSubmission,
            ReportTransition,
            ReviewComment,
        )
        from plantrack.reporting.selectors import SNAPSHOT_FORMAT
        from plantrack.reporting.services import default_due_date

        rng = self.rng
        is_open = year == self.years[-1]
        # The open cycle is due in two weeks: reminders before the due date have gone out, nothing is late yet.
        due = self.today + datetime.timedelta(days=14) if is_open else default_due_date(plan, year)
        period_end = datetime.date(year, 12, 14)
        cycle = ReportingCycle.objects.create(
            plan=plan,
            year=year,
            due_date=due,
            period_start=datetime.date(year - 1, 12, 15),
            period_end=period_end,
            data_as_of=period_end,
            state=CycleState.OPEN if is_open else CycleState.CLOSED,
            opened_by=coordinator,
        )
        deadline = cycle.deadline
        opened_day = due - datetime.timedelta(days=45)
        if is_open:
            ReminderSchedule.objects.create(cycle=cycle, updated_by=coordinator)
        task_by_id = {t.pk: t for t in tasks}
        persona_cycle = is_open and plan.pk == self.personas["plan"].pk
        if persona_cycle:
            # A typical agency (the middle of the list: a district committee, not the department that coordinates).
            self.personas["head_agency_id"] = sorted(owed)[len(owed) // 2]

        # State of each report. Open cycle: drafts, submissions waiting, returns and acceptances; closed cycles:
        # mostly accepted, some never reviewed, returned and not resent, or never sent (missing).
        weights = (
            [(ReportState.DRAFT, 40), (ReportState.SUBMITTED, 30), (ReportState.RETURNED, 10), (ReportState.ACCEPTED, 20)]
            if is_open
            else [(ReportState.DRAFT, 7), (ReportState.SUBMITTED, 5), (ReportState.RETURNED, 3), (ReportState.ACCEPTED, 85)]
        )  # fmt: skip
        states, cum = [s for s, _ in weights], [w for _, w in weights]
        reports, plans_of = [], {}
        for agency_id in sorted(owed):
            state = rng.choices(states, cum)[0]
            if persona_cycle and agency_id == self.personas["head_agency_id"]:
                state = ReportState.DRAFT  # the report form needs an editable report
            head, reporter = people[agency_id]
            report = AgencyReport(
                cycle=cycle,
                agency_id=agency_id,
                data_as_of=cycle.data_as_of,
                last_saved_by=reporter,
                last_saved_at=self.at(opened_day + datetime.timedelta(days=rng.randrange(20))),
            )
            if state == ReportState.DRAFT and rng.random() < 0.5:
                report.last_saved_at, report.last_saved_by = None, None
            if state != ReportState.DRAFT:
                report.main_results, report.shortcomings = self.result_text(), "Kinh phí bố trí còn hạn chế."
                report.next_year, report.proposals = (
                    "Tiếp tục triển khai các nhiệm vụ.",
                    "Đề nghị bổ sung kinh phí.",
                )
                sent_day = due + datetime.timedelta(days=rng.randint(-25, -1 if is_open else 8))
                if is_open:
                    sent_day = min(sent_day, self.today)
                sent = self.at(sent_day)
                report.first_submitted_at = report.submitted_at = sent
                report.submitted_by, report.is_late = head, sent > deadline
                # Accepted reports are written as submitted first (the constraint wants their accepted
                # submission, which does not exist yet) and flipped to accepted by one UPDATE below.
                report.state = ReportState.SUBMITTED
                if state == ReportState.RETURNED:
                    report.state = ReportState.RETURNED
                    report.returned_at = sent + datetime.timedelta(days=2)
                    report.return_comment = "Đề nghị bổ sung số liệu minh chứng."
                if state == ReportState.ACCEPTED:
                    report.accepted_at, report.accepted_by = sent + datetime.timedelta(days=3), coordinator
            report.version = (
                1 + (state != ReportState.DRAFT) + (state in (ReportState.RETURNED, ReportState.ACCEPTED))
            )
            plans_of[agency_id] = state
            reports.append(report)
        reports = self.bulk(AgencyReport, reports)

        entries = []
        for report in reports:
            filled = plans_of[report.agency_id] != ReportState.DRAFT
            for task_id, role in sorted(
                owed[report.agency_id].items(), key=lambda item: task_by_id[item[0]].order
            ):
                has_text = filled or rng.random() < 0.3
                entries.append(
                    ReportEntry(
                        report=report,
                        task_id=task_id,
                        role=role,
                        status=rng.choice(
                            [
                                EntryStatus.CONTINUING,
                                EntryStatus.IN_PROGRESS,
                                EntryStatus.DONE,
                                EntryStatus.NOT_STARTED,
                            ]
                        )
                        if has_text
                        else "",
                        results=self.result_text() if has_text else "",
                        difficulties="Thiếu nhân lực chuyên trách."
                        if has_text and rng.random() < 0.3
                        else "",
                        order=task_by_id[task_id].order,
                    )
                )
        entries = self.bulk(ReportEntry, entries)
        entries_of = defaultdict(list)
        for e in entries:
            entries_of[e.report_id].append(e)

        submissions, transitions, comments, notifications = [], [], [], []
        for report in reports:
            state = plans_of[report.agency_id]
            head, reporter = people[report.agency_id]
            agency = agencies[report.agency_id]
            read = None if is_open else self.at(due + datetime.timedelta(days=30))
            notifications += [
                Notification(
                    recipient=person,
                    subject=f"Mở kỳ báo cáo năm {year} — Kế hoạch {plan.code}",
                    body=f"Kỳ báo cáo năm {year} của Kế hoạch {plan.code} đã mở. Hạn gửi báo cáo: {due:%d/%m/%Y}.",
                    url="/bao-cao/",
                    read_at=read,
                )
                for person in (head, reporter)
            ]
            if state == ReportState.DRAFT:
                continue
            snapshot = {
                "format": SNAPSHOT_FORMAT,
                "report_id": report.pk,
                "version": 2,
                "cycle": {"plan": plan.code, "year": year, "due_date": due.isoformat()},
                "agency": {"id": agency.pk, "name": agency.name},
                "submitted_at": report.submitted_at.isoformat(),
                "submitted_by": {"id": head.pk, "name": head.full_name},
                "data_as_of": report.data_as_of.isoformat(),
                "sections": {f: getattr(report, f) for f in AgencyReport.SECTION_FIELDS},
                "entries": [
                    {
                        "entry_id": e.pk,
                        "task_id": e.task_id,
                        "task_code": task_by_id[e.task_id].code,
                        "role": e.role,
                        "status": e.status,
                        "results": e.results,
                        "difficulties": e.difficulties,
                        "evidence": [],
                    }
                    for e in entries_of[report.pk]
                ],
                "report_evidence": [],
            }
            submissions.append(
                ReportSubmission(
                    report=report,
                    number=1,
                    submitted_at=report.submitted_at,
                    submitted_by=head,
                    is_late=report.is_late,
                    snapshot=snapshot,
                )
            )
            notifications.append(
                Notification(
                    recipient=coordinator,
                    subject=f"{agency.short_name} đã gửi báo cáo năm {year}",
                    body=f"{head.full_name} đã gửi báo cáo năm {year} của {agency.name} (Kế hoạch {plan.code}).",
                    url=f"/bao-cao/{report.pk}/",
                    read_at=read,
                )
            )
        submissions = self.bulk(ReportSubmission, submissions)
        for submission in submissions:
            report = submission.report
            state = plans_of[report.agency_id]
            head, _reporter = people[report.agency_id]
            transitions.append(
                ReportTransition(
                    report=report,
                    from_state=ReportState.DRAFT,
                    to_state=ReportState.SUBMITTED,
                    actor=head,
                    at=submission.submitted_at,
                    submission=submission,
                )
            )
            if state == ReportState.RETURNED:
                transitions.append(
                    ReportTransition(
                        report=report,
                        from_state=ReportState.SUBMITTED,
                        to_state=ReportState.RETURNED,
                        actor=coordinator,
                        at=report.returned_at,
                        comment=report.return_comment,
                        submission=submission,
                    )
                )
                comments.append(
                    ReviewComment(
                        report=report,
                        round=1,
                        author=coordinator,
                        text=report.return_comment,
                        created_at=report.returned_at,
                    )
                )
            elif state == ReportState.ACCEPTED:
                transitions.append(
                    ReportTransition(
                        report=report,
                        from_state=ReportState.SUBMITTED,
                        to_state=ReportState.ACCEPTED,
                        actor=coordinator,
                        at=report.accepted_at,
                        submission=submission,
                    )
                )
        self.bulk(ReportTransition, transitions)
        self.bulk(ReviewComment, comments)
        from django.db import connection

        # One statement sets the state and the accepted submission together, as report_accept does.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE reporting_agencyreport r SET state = 'accepted', accepted_submission_id = s.id "
                "FROM reporting_reportsubmission s WHERE s.report_id = r.id AND r.cycle_id = %s "
                "AND r.state = 'submitted' AND r.accepted_at IS NOT NULL",
                [cycle.pk],
            )

        # Reminders: in the open cycle, the 30-day step went to every agency (all were drafting); in closed cycles
        # the 7-day step went to those that had not sent by then, the day-after step to those still missing.
        logs = []
        for report in reports:
            state = plans_of[report.agency_id]
            if is_open:
                steps = [-30]
            else:
                sent = report.first_submitted_at
                steps = [o for o in (-7, 1) if sent is None or sent.date() > due + datetime.timedelta(days=o)]
            for offset in steps:
                step_day = due + datetime.timedelta(days=offset)
                for person in people[report.agency_id]:
                    logs.append(
                        ReminderLog(
                            cycle=cycle,
                            agency_id=report.agency_id,
                            report=report,
                            due_date=due,
                            step_offset=offset,
                            step_day=step_day,
                            recipient=person,
                            recipient_key=f"user:{person.pk}",
                            recipient_name=person.full_name,
                            email=person.email,
                            report_state=ReportState.DRAFT,
                            subject=f"Nhắc hạn báo cáo năm {year} — Kế hoạch {plan.code}",
                            sent_at=self.at(step_day, 7),
                        )
                    )
        self.bulk(ReminderLog, logs)
        self.bulk(Notification, notifications)


def print_counts(started: float, sizes: tuple[int, int, int]) -> None:
    from django.apps import apps
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            label = model._meta.label
            if label.split(".")[0] not in APPS:
                continue
            if label.split(".")[1].startswith("Historical"):
                continue
            cursor.execute(f'SELECT count(*) FROM "{model._meta.db_table}"')  # noqa: S608 (a model's table name)
            rows.append((label, cursor.fetchone()[0]))
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    width = max(len(label) for label, _ in rows)
    print(f"\n{'model':<{width}}  {'rows':>10}")
    print(f"{'-' * width}  {'-' * 10}")
    for label, count in rows:
        if count:
            print(f"{label:<{width}}  {count:>10,}")
    empty = [label for label, count in rows if not count]
    print(f"\n(empty: {', '.join(empty)})")
    provinces, agencies, plans = sizes
    print(
        f"\n{provinces} province(s) × {agencies} agencies × {plans} plans × {TASKS_PER_PLAN} tasks × {YEARS} years; "
        f"database size {size}; total {time.perf_counter() - started:.1f} s"
    )


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)  # progress shows when the output goes to a file
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--fraction", type=float, default=0.02, help="share of the national dataset (default 0.02)"
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--drop", action="store_true", help="drop the bench database and stop")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("scale.py needs a PostgreSQL URL.")
    if args.drop:
        recreate_database(args.database_url, drop_only=True)
        print(f"Dropped {urlsplit(args.database_url).path.lstrip('/')}.")
        return 0

    sizes = scaled_sizes(args.fraction)
    started = time.perf_counter()
    recreate_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("PLANTRACK_ENV", "dev")
    os.environ["DEBUG"] = "0"  # no query log kept in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plantrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(
        f"Database {urlsplit(args.database_url).path.lstrip('/')} created and migrated: {time.perf_counter() - started:.1f} s"
    )
    generator = Generator(provinces=sizes[0], agencies=sizes[1], plans=sizes[2], seed=args.seed)
    generator.run()

    from django.db import connection

    from plantrack.accounts.models import Role, User
    from plantrack.orgs.models import Agency

    agency = Agency.objects.get(pk=generator.personas["head_agency_id"])
    personas = User.objects.bulk_create(
        [
            generator.user("bench-head", role=Role.HEAD, agency=agency, full_name="Lãnh đạo (bench)"),
            generator.user(
                "bench-reporter", role=Role.REPORTER, agency=agency, full_name="Chuyên viên (bench)"
            ),
        ]
    )
    fill_versions()
    with connection.cursor() as cursor:
        # The agency's personas get the notifications its generated head and reporter received.
        for persona, twin in zip(personas, ("head", "reporter"), strict=True):
            cursor.execute(
                "INSERT INTO notifications_notification (recipient_id, subject, body, url, is_demo, created_at, read_at) "
                "SELECT %s, n.subject, n.body, n.url, n.is_demo, n.created_at, n.read_at "
                "FROM notifications_notification n JOIN accounts_user u ON u.id = n.recipient_id "
                "WHERE u.agency_id = %s AND u.role = %s AND u.username NOT LIKE 'bench-%%'",
                [persona.pk, agency.pk, twin],
            )
        cursor.execute("ANALYZE")
    print_counts(started, sizes)
    print(
        f"\nPersonas (password {PERSONA_PASSWORD}): bench-coordinator, bench-head, bench-reporter, bench-viewer, "
        "bench-admin"
    )
    return 0


def fill_versions() -> int:
    """Give every cache version key a token, as a database in use has them (bulk inserts bump none): the pages'
    version reads then look up and aggregate as many rows as they would in production."""
    from plantrack.core.versions import (
        ORGS_KEY,
        bump,
        cycle_key,
        plan_figures_key,
        plan_inspections_key,
        plan_key,
        plan_reports_key,
    )
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import ReportingCycle

    keys = [ORGS_KEY]
    for pk in Plan.objects.values_list("pk", flat=True):
        keys += [plan_key(pk), plan_reports_key(pk), plan_figures_key(pk), plan_inspections_key(pk)]
    keys += [cycle_key(pk) for pk in ReportingCycle.objects.values_list("pk", flat=True)]
    for start in range(0, len(keys), 2000):
        bump(*keys[start : start + 2000])
    return len(keys)


if __name__ == "__main__":
    sys.exit(main())
