"""An administrator gives an account extra roles and agencies (accounts.Membership) and takes them away; both are
in the security log, and the account's rules follow at once."""

import pytest

from plantrack.accounts.models import Membership, User
from plantrack.accounts.permissions import is_head_of
from plantrack.plans.tests.factories import PlanFactory
from plantrack.security.models import SecurityAction, SecurityEvent

pytestmark = pytest.mark.django_db


def test_admin_adds_and_removes_an_extra_role(client, staff):
    client.force_login(staff.manager)
    url = f"/tai-khoan/quan-ly/{staff.reporter_a.pk}/"
    html = client.get(url).content.decode()
    assert "Chưa có vai trò thêm" in html
    # the section once landed inside the page's <title>: it must be in the page, once, and the title plain text
    title = html[html.index("<title>") + 7 : html.index("</title>")]
    assert "<" not in title and "reporter_a" in title
    assert html.count('id="vai-tro-them"') == 1
    response = client.post(f"{url}vai-tro-them/", {"agency": staff.agency_b.pk, "role": "head"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=staff.reporter_a)
    assert is_head_of(User.objects.get(pk=staff.reporter_a.pk), staff.agency_b.pk)
    page = client.get(url).content.decode()
    assert "Lãnh đạo đơn vị" in page and "Sở B" in page
    added = SecurityEvent.objects.get(action=SecurityAction.ROLE_CHANGED)
    assert (added.target, added.detail["added"]["role"], added.detail["added"]["agency"]) == (
        "reporter_a",
        "head",
        "Sở B",
    )

    response = client.post(f"{url}vai-tro-them/{membership.pk}/xoa/")
    assert response.status_code == 302
    assert not Membership.objects.exists()
    assert not is_head_of(User.objects.get(pk=staff.reporter_a.pk), staff.agency_b.pk)
    assert SecurityEvent.objects.filter(
        action=SecurityAction.ROLE_CHANGED, detail__has_key="removed"
    ).exists()


def test_a_plan_goes_only_with_a_coordinator_of_its_department(client, staff):
    plan = PlanFactory(number="7", coordinator_agency=staff.agency_a)
    client.force_login(staff.manager)
    url = f"/tai-khoan/quan-ly/{staff.reporter_b.pk}/vai-tro-them/"
    response = client.post(url, {"agency": staff.agency_b.pk, "role": "coordinator", "plan": plan.pk})
    assert response.status_code == 200
    assert "do Sở A theo dõi" in response.content.decode()
    response = client.post(url, {"agency": staff.agency_b.pk, "role": "reporter", "plan": plan.pk})
    assert "Chỉ vai trò điều phối" in response.content.decode()
    assert not Membership.objects.exists()
    response = client.post(url, {"agency": staff.agency_a.pk, "role": "coordinator", "plan": plan.pk})
    assert response.status_code == 302
    assert Membership.objects.get().plan == plan


def test_the_primary_role_is_not_added_twice(client, staff):
    client.force_login(staff.manager)
    response = client.post(
        f"/tai-khoan/quan-ly/{staff.reporter_a.pk}/vai-tro-them/",
        {"agency": staff.agency_a.pk, "role": "reporter"},
    )
    assert "vai trò chính" in response.content.decode()
    assert not Membership.objects.exists()


@pytest.mark.parametrize("persona", ["reporter_a", "head_a", "coordinator", "viewer"])
def test_only_administrators_manage_extra_roles(client, staff, persona):
    client.force_login(getattr(staff, persona))
    response = client.post(
        f"/tai-khoan/quan-ly/{staff.reporter_b.pk}/vai-tro-them/",
        {"agency": staff.agency_a.pk, "role": "head"},
    )
    assert response.status_code == 403
    assert not Membership.objects.exists()
