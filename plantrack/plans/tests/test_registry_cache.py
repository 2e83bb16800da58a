"""The plan import's agency registry is built once per version of the agencies, and rebuilt after any change."""

from plantrack.orgs.tests.factories import AgencyFactory
from plantrack.plans.importing.resolver import Registry


def test_registry_is_reused_until_an_agency_changes(db, django_assert_max_num_queries):
    agency = AgencyFactory(name="Sở Thử nghiệm Bộ nhớ đệm")
    first = Registry.from_db()
    with django_assert_max_num_queries(1):  # the version check only
        assert Registry.from_db() is first
    assert first.resolve("Sở Thử nghiệm Bộ nhớ đệm").entity is not None

    agency.name = "Sở Đổi tên Bộ nhớ đệm"
    agency.save()
    second = Registry.from_db()
    assert second is not first
    assert second.resolve("Sở Đổi tên Bộ nhớ đệm").entity is not None


def test_a_new_alias_rebuilds_the_registry(db):
    agency = AgencyFactory(name="Sở Văn hóa thử")
    first = Registry.from_db()
    agency.aliases.create(name="Sở VH thử nghiệm", folded="so vh thu nghiem")
    assert Registry.from_db() is not first
