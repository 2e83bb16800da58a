import factory

from plantrack.indicators.models import IndicatorComponent, IndicatorDefinition, IndicatorKind, ValueType
from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.tests.factories import TargetFactory


class IndicatorDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorDefinition

    target = factory.SubFactory(TargetFactory)
    kind = IndicatorKind.DIRECT
    unit = "%"
    value_type = ValueType.PERCENT
    provider = factory.SubFactory(AgencyFactory)


class IndicatorComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorComponent

    definition = factory.SubFactory(IndicatorDefinitionFactory, kind=IndicatorKind.COMPUTED, formula="x")
    name = factory.Sequence(lambda n: f"thanh_phan_{n}")
    label = factory.Sequence(lambda n: f"Thành phần {n}")
    value_type = ValueType.INTEGER
