"""Every user-management URL for every persona: administrators (a superuser and an administrator by role) may use
them; agency members of either agency, the coordinator and the viewer get 403; anonymous visitors are sent to the
login page. The forgotten-password pages are open to everyone.

Each request runs in a savepoint that is rolled back. A route added later and not listed here makes
``test_every_route_is_walked`` fail.
"""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from plantrack.accounts.models import Membership

from .sheets import xlsx_upload

PERSONAS = [
    "anonymous",
    "reporter_a",
    "head_a",
    "reporter_b",
    "head_b",
    "coordinator",
    "viewer",
    "manager",
    "admin",
]
LOGGED_IN = set(PERSONAS) - {"anonymous"}
ADMINS = {"manager", "admin"}
OTHERS = LOGGED_IN - ADMINS


def table(anonymous: int = 302, **groups) -> dict[str, int]:
    """``table(_200=[...], _403=[...])``: every signed-in persona must be placed exactly once."""
    result = {"anonymous": anonymous}
    for key, people in groups.items():
        for person in people:
            assert person not in result, person
            result[person] = int(key.lstrip("_"))
    assert set(result) == set(PERSONAS), set(PERSONAS) - set(result)
    return result


def routes(staff) -> list[tuple[str, str, str, object, dict[str, int]]]:
    target = staff.reporter_b.pk
    page = table(_200=ADMINS, _403=OTHERS)
    action = table(_302=ADMINS, _403=OTHERS)
    edit = {"full_name": "Người B", "email": "b@example.vn", "agency": staff.agency_b.pk, "role": "head"}
    create = {
        "username": "moi",
        "full_name": "Người mới",
        "email": "",
        "agency": staff.agency_a.pk,
        "role": "reporter",
    }
    public = table(anonymous=200, _200=LOGGED_IN)
    membership, _ = Membership.objects.get_or_create(
        user=staff.reporter_b, agency=staff.agency_a, role="reporter"
    )
    return [
        ("accounts:user_list", "get", "/tai-khoan/quan-ly/", {}, page),
        ("accounts:user_list", "get", "/tai-khoan/quan-ly/?q=so&state=locked", {}, page),
        ("accounts:user_create", "get", "/tai-khoan/quan-ly/moi/", {}, page),
        ("accounts:user_create", "post", "/tai-khoan/quan-ly/moi/", create, page),
        ("accounts:user_edit", "get", f"/tai-khoan/quan-ly/{target}/", {}, page),
        ("accounts:user_edit", "get", "/tai-khoan/quan-ly/99999/", {}, table(_404=ADMINS, _403=OTHERS)),
        ("accounts:user_edit", "post", f"/tai-khoan/quan-ly/{target}/", edit, action),
        ("accounts:user_deactivate", "post", f"/tai-khoan/quan-ly/{target}/khoa/", {}, action),
        ("accounts:user_deactivate", "get", f"/tai-khoan/quan-ly/{target}/khoa/", {}, table(_405=LOGGED_IN)),
        ("accounts:user_reactivate", "post", f"/tai-khoan/quan-ly/{target}/mo-lai/", {}, action),
        (
            "accounts:user_membership_add",
            "post",
            f"/tai-khoan/quan-ly/{target}/vai-tro-them/",
            {"agency": staff.agency_a.pk, "role": "head"},
            action,
        ),
        (
            "accounts:user_membership_add",
            "get",
            f"/tai-khoan/quan-ly/{target}/vai-tro-them/",
            {},
            table(_405=LOGGED_IN),
        ),
        (
            "accounts:user_membership_remove",
            "post",
            f"/tai-khoan/quan-ly/{target}/vai-tro-them/{membership.pk}/xoa/",
            {},
            action,
        ),
        ("accounts:user_unlock", "post", f"/tai-khoan/quan-ly/{target}/mo-khoa-dang-nhap/", {}, action),
        ("accounts:user_password_reset", "post", f"/tai-khoan/quan-ly/{target}/dat-lai-mat-khau/", {}, page),
        ("accounts:users_import", "get", "/tai-khoan/quan-ly/nhap-excel/", {}, page),
        (
            "accounts:users_import",
            "post",
            "/tai-khoan/quan-ly/nhap-excel/",
            lambda: {"file": xlsx_upload([("x.y", "X Y", "", "Sở A", "Xem")])},
            page,
        ),
        ("accounts:users_import_confirm", "post", "/tai-khoan/quan-ly/nhap-excel/xac-nhan/", {}, action),
        ("accounts:users_import_template", "get", "/tai-khoan/quan-ly/nhap-excel/mau.xlsx", {}, page),
        ("accounts:password_reset", "get", "/tai-khoan/quen-mat-khau/", {}, public),
        (
            "accounts:password_reset",
            "post",
            "/tai-khoan/quen-mat-khau/",
            {"email": "x@example.vn"},
            table(anonymous=302, _302=LOGGED_IN),
        ),
        ("accounts:password_reset_done", "get", "/tai-khoan/quen-mat-khau/da-gui/", {}, public),
        ("accounts:password_reset_confirm", "get", "/tai-khoan/dat-lai-mat-khau/MQ/sai-ma/", {}, public),
        ("accounts:password_reset_complete", "get", "/tai-khoan/dat-lai-mat-khau/xong/", {}, public),
    ]


MINE = ("accounts:user", "accounts:users", "accounts:password_reset")


def _names(resolver, namespace="") -> set[str]:
    names = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(namespace + p.name)
    return names


def test_every_route_is_walked(staff):
    mine = {n for n in _names(get_resolver()) if n.startswith(MINE)}
    assert len(mine) == 16
    assert mine - {r[0] for r in routes(staff)} == set(), "routes without an access expectation"


@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(client, staff, persona):
    if persona != "anonymous":
        client.force_login(getattr(staff, persona))
    failures = []
    for name, method, path, data, expected in routes(staff):
        with transaction.atomic():
            response = getattr(client, method)(path, data() if callable(data) else data)
            transaction.set_rollback(True)
        if response.status_code != expected[persona]:
            failures.append(f"{method.upper()} {path} ({name}): {response.status_code} ≠ {expected[persona]}")
    assert not failures, "\n".join(failures)


def test_anonymous_is_sent_to_login(client, staff):
    response = client.get("/tai-khoan/quan-ly/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_management_network_restriction_applies(client, staff, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    client.force_login(staff.manager)
    assert client.get("/tai-khoan/quan-ly/", REMOTE_ADDR="192.0.2.1").status_code == 403
    assert client.get("/tai-khoan/quan-ly/", REMOTE_ADDR="10.1.2.3").status_code == 200


def test_a_role_administrator_cannot_manage_a_superuser(client, staff):
    client.force_login(staff.manager)
    su = staff.admin.pk
    assert client.get(f"/tai-khoan/quan-ly/{su}/").status_code == 403
    assert client.post(f"/tai-khoan/quan-ly/{su}/dat-lai-mat-khau/").status_code == 403
    assert client.post(f"/tai-khoan/quan-ly/{su}/khoa/").status_code == 403
    staff.admin.refresh_from_db()
    assert staff.admin.is_active


def test_nav_links_user_management_for_administrators_only(client, staff):
    for persona, shown in (
        ("manager", True),
        ("admin", True),
        ("coordinator", False),
        ("reporter_a", False),
        ("viewer", False),
    ):
        client.force_login(getattr(staff, persona))
        assert ('href="/tai-khoan/quan-ly/"' in client.get("/").content.decode()) is shown, persona
