"""/api/v1/plans/ keeps each page in the cache (core.cached_list): a plan or agency change is on the next request,
and a plan not yet published reaches administrators only, cached or not."""

import pytest

from plantrack.accounts.tests.factories import UserFactory
from plantrack.orgs.tests.factories import AgencyFactory

from .factories import PlanFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/plans/"


def _titles(client) -> dict[int, dict]:
    response = client.get(LIST)
    assert response.status_code == 200, response.content
    return {p["id"]: p for p in response.json()["results"]}


@pytest.fixture
def people():
    dept = AgencyFactory(name="Sở Khoa học và Công nghệ (thử)")
    return {
        "viewer": UserFactory(username="viewer", role="viewer"),
        "reporter": UserFactory(username="reporter", role="reporter", agency=AgencyFactory()),
        "admin": UserFactory(username="admin", role="admin", is_staff=True, is_superuser=True),
        "dept": dept,
    }


def test_a_plan_change_and_an_agency_change_show_on_the_next_request(client, people):
    plan = PlanFactory(title="Kế hoạch A", coordinator_agency=people["dept"], is_published=True)
    client.force_login(people["viewer"])
    assert _titles(client)[plan.pk]["title"] == "Kế hoạch A"
    plan.title = "Kế hoạch A (sửa)"
    plan.save()
    assert _titles(client)[plan.pk]["title"] == "Kế hoạch A (sửa)"
    people["dept"].name = "Sở Khoa học và Công nghệ (đổi tên)"
    people["dept"].save()
    assert _titles(client)[plan.pk]["coordinator_agency"] == "Sở Khoa học và Công nghệ (đổi tên)"
    new = PlanFactory(title="Kế hoạch B", is_published=True)
    assert set(_titles(client)) == {plan.pk, new.pk}


def test_an_unpublished_plan_reaches_administrators_only(client, people):
    published = PlanFactory(is_published=True)
    draft = PlanFactory(is_published=False)
    for persona in ("viewer", "reporter"):
        client.force_login(people[persona])
        assert set(_titles(client)) == {published.pk}
    client.force_login(people["admin"])
    assert set(_titles(client)) == {published.pk, draft.pk}
    client.force_login(people["viewer"])  # after the administrator's page was cached
    assert set(_titles(client)) == {published.pk}
    draft.is_published = True
    draft.save()
    assert set(_titles(client)) == {published.pk, draft.pk}


def test_a_warm_page_reads_only_the_versions(client, people, django_assert_num_queries):
    PlanFactory.create_batch(3, is_published=True)
    client.force_login(people["viewer"])
    _titles(client)
    with django_assert_num_queries(3):  # the session, the user, the version tokens
        assert len(_titles(client)) == 3
