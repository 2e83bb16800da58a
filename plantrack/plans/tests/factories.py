import datetime

import factory

from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.models import Assignment, AssignmentRole, Comparator, Plan, Target, Task, TaskGroup


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: str(1000 + n))
    symbol = "KH-UBND"
    issuer = factory.SubFactory(
        AgencyFactory, name=factory.Sequence(lambda n: f"UBND tỉnh Thử {n}"), kind="provincial_committee"
    )
    coordinator_agency = factory.SubFactory(AgencyFactory)
    place = "Đồng Nai"
    issued_on = datetime.date(2024, 11, 16)
    title = "Kế hoạch thử nghiệm"


class TaskGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskGroup

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"III.{n + 1}")
    title = factory.Sequence(lambda n: f"Nhóm nhiệm vụ {n}")
    order = factory.Sequence(int)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    group = factory.SubFactory(TaskGroupFactory)
    plan = factory.LazyAttribute(lambda o: o.group.plan)
    code = factory.Sequence(lambda n: f"III.9.a.{n + 1}")
    text = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm số {n}")
    order = factory.Sequence(int)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    task = factory.SubFactory(TaskFactory)
    role = AssignmentRole.LEAD
    agency = factory.SubFactory(AgencyFactory)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"II.2.{n + 1}")
    text = factory.Sequence(lambda n: f"Chỉ tiêu thử nghiệm {n}")
    unit = "%"
    comparator = Comparator.AT_LEAST
    min_value = 45
    target_year = 2030
