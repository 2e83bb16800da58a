"""A small world for indicator tests: one plan coordinated by department D, two providing agencies.

Plan "77/KH-UBND":
  share   "tối thiểu 45 %"        direct, a share (0–100 %), provided by A, jump threshold 20 %
  ratio   "12 người/vạn dân"      computed: staff / population × 10 000; staff provided by A, population by B
  growth  "tăng tối thiểu 20 %/năm" computed: count / prev(count) − 1, provided by A
Personas: reporter and head of A, reporter of B (the "other agency"), the coordinator (D), a coordinator of another
department, a viewer.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from plantrack.accounts.models import Role
from plantrack.accounts.tests.factories import UserFactory
from plantrack.indicators.models import IndicatorComponent, IndicatorDefinition, IndicatorKind, ValueType
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.models import Comparator, Plan, Target
from plantrack.plans.tests.factories import PlanFactory, TargetFactory


@dataclass
class World:
    plan: Plan
    dept: object
    a: object
    b: object
    share_target: Target
    share: IndicatorDefinition
    ratio: IndicatorDefinition
    staff: IndicatorComponent
    population: IndicatorComponent
    growth: IndicatorDefinition
    count: IndicatorComponent
    reporter_a: object
    head_a: object
    reporter_b: object
    coordinator: object
    other_coordinator: object
    viewer: object


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Six personas per test: the production hasher (~0,3 s a hash) would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    dept = AgencyFactory(name="Sở Khoa học và Công nghệ thử")
    a = AgencyFactory(name="Sở Tài chính thử")
    b = AgencyFactory(name="Cục Thống kê thử")
    other_dept = AgencyFactory(name="Sở Khác thử")
    plan = PlanFactory(number="77", coordinator_agency=dept)
    share_target = TargetFactory(
        plan=plan,
        code="II.2.1",
        short_name="Tỷ trọng thử",
        comparator=Comparator.AT_LEAST,
        min_value=Decimal(45),
        target_year=2030,
        order=1,
    )
    share = IndicatorDefinition.objects.create(
        target=share_target,
        unit="%",
        value_type=ValueType.PERCENT,
        provider=a,
        jump_threshold_percent=Decimal(20),
    )
    ratio_target = TargetFactory(
        plan=plan,
        code="II.2.2",
        short_name="Nhân lực thử",
        unit="người/vạn dân",
        comparator=Comparator.PER_POPULATION,
        min_value=Decimal(12),
        order=2,
    )
    ratio = IndicatorDefinition.objects.create(
        target=ratio_target,
        kind=IndicatorKind.COMPUTED,
        formula="staff / population * 10000",
        unit="người/vạn dân",
        value_type=ValueType.DECIMAL,
        provider=a,
        decimal_places=2,
    )
    staff = IndicatorComponent.objects.create(
        definition=ratio,
        name="staff",
        label="Nhân lực R&D",
        unit="người",
        value_type=ValueType.INTEGER,
        min_allowed=0,
        order=0,
    )
    population = IndicatorComponent.objects.create(
        definition=ratio,
        name="population",
        label="Dân số",
        unit="người",
        value_type=ValueType.INTEGER,
        min_allowed=1,
        provider=b,
        jump_threshold_percent=Decimal(10),
        order=1,
    )
    growth_target = TargetFactory(
        plan=plan,
        code="II.2.3",
        short_name="Sáng chế thử",
        unit="%/năm",
        comparator=Comparator.YEARLY_GROWTH,
        min_value=Decimal(20),
        order=3,
    )
    growth = IndicatorDefinition.objects.create(
        target=growth_target,
        kind=IndicatorKind.COMPUTED,
        formula="(count / prev(count) - 1) * 100",
        unit="%/năm",
        provider=a,
        assessment="each_year",
    )
    count = IndicatorComponent.objects.create(
        definition=growth,
        name="count",
        label="Số đơn",
        unit="đơn",
        value_type=ValueType.INTEGER,
        min_allowed=0,
    )
    return World(
        plan=plan,
        dept=dept,
        a=a,
        b=b,
        share_target=share_target,
        share=share,
        ratio=ratio,
        staff=staff,
        population=population,
        growth=growth,
        count=count,
        reporter_a=UserFactory(username="chuyenvien_a", role=Role.REPORTER, agency=a),
        head_a=UserFactory(username="lanhdao_a", role=Role.HEAD, agency=a),
        reporter_b=UserFactory(username="chuyenvien_b", role=Role.REPORTER, agency=b),
        coordinator=UserFactory(username="dieuphoi", role=Role.COORDINATOR, agency=dept),
        other_coordinator=UserFactory(username="dieuphoi_khac", role=Role.COORDINATOR, agency=other_dept),
        viewer=UserFactory(username="xem", role=Role.VIEWER),
    )
