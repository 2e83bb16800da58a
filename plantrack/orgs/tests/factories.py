import factory

from plantrack.orgs.models import Agency, AgencyGroup, AgencyKind, GroupMembership


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    kind = AgencyKind.DEPARTMENT


class AgencyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyGroup

    code = factory.Sequence(lambda n: f"nhom-{n}")
    name = factory.Sequence(lambda n: f"Nhóm cơ quan {n}")


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(AgencyGroupFactory)
    agency = factory.SubFactory(AgencyFactory)
