"""Extra roles (accounts.Membership) follow an organisation change by the rule of the primary agency: a merged or
renamed body's roles move to its successor, a split or dissolved body's roles end the eve of the change; undo
puts every row back exactly as it was."""

import datetime

import pytest

from plantrack.accounts.models import Membership, Role, User
from plantrack.orgs.models import SuccessionKind
from plantrack.orgs.services import OrgChangeSpec, orgchange_apply, orgchange_preview, orgchange_undo
from plantrack.orgs.tests.factories import AgencyFactory

D = datetime.date
DAY = D(2025, 3, 1)
EVE = D(2025, 2, 28)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return User.objects.create_user("it", password="x-Strong-Pass-2025", role=Role.ADMIN)


def _user(name: str, agency=None, role=Role.VIEWER) -> User:
    return User.objects.create_user(name, password="x-Strong-Pass-2025", role=role, agency=agency)


def _rows() -> list[tuple]:
    return sorted(
        Membership.objects.values_list("pk", "user_id", "agency_id", "role", "valid_from", "valid_to")
    )


def test_a_merge_moves_extra_roles_to_the_successor_and_undo_puts_them_back(admin):
    old, target, other = (
        AgencyFactory(name="Sở Cũ"),
        AgencyFactory(name="Sở Nhận"),
        AgencyFactory(name="Sở Khác"),
    )
    acting = Membership.objects.create(
        user=_user("acting"), agency=old, role="head", valid_from=D(2024, 1, 1)
    )
    stays = Membership.objects.create(user=_user("stays"), agency=other, role="reporter")
    past = Membership.objects.create(
        user=_user("past"), agency=old, role="reporter", valid_to=D(2024, 12, 31)
    )
    # already a reporter of the successor: the old row ends instead of clashing with the one it has
    twice = _user("twice")
    Membership.objects.create(user=twice, agency=target, role="reporter")
    clash = Membership.objects.create(user=twice, agency=old, role="reporter")
    before = _rows()

    change = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=DAY, predecessors=[old], successors=[target]
        ),
    )
    acting.refresh_from_db()
    assert (acting.agency, acting.valid_from, acting.valid_to) == (target, D(2024, 1, 1), None)
    stays.refresh_from_db()
    assert stays.agency == other and stays.valid_to is None
    past.refresh_from_db()
    assert past.agency == old and past.valid_to == D(2024, 12, 31)  # history stays where it was
    clash.refresh_from_db()
    assert clash.agency == old and clash.valid_to == EVE

    orgchange_undo(actor=admin, change=change)
    assert _rows() == before


def test_a_rename_to_a_new_agency_moves_extra_roles_and_undo_lets_the_new_agency_go(admin):
    old = AgencyFactory(name="Sở Trước")
    row = Membership.objects.create(user=_user("acting"), agency=old, role="head")
    before = _rows()
    change = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.RENAME, effective_date=DAY, predecessors=[old], new_successor_name="Sở Sau"
        ),
    )
    row.refresh_from_db()
    assert row.agency.name == "Sở Sau"
    orgchange_undo(actor=admin, change=change)
    assert _rows() == before
    assert not type(old).objects.filter(name="Sở Sau").exists()


@pytest.mark.parametrize("kind", [SuccessionKind.SPLIT, SuccessionKind.DISSOLVE])
def test_a_split_or_dissolution_ends_extra_roles_the_eve_and_undo_reopens_them(admin, kind):
    old = AgencyFactory(name="Sở Tách")
    open_row = Membership.objects.create(user=_user("open"), agency=old, role="reporter")
    later_end = Membership.objects.create(
        user=_user("later"), agency=old, role="head", valid_to=D(2025, 12, 31)
    )
    # a role that was to start after the change can never be held: it goes, and comes back on undo
    future = Membership.objects.create(
        user=_user("future"), agency=old, role="reporter", valid_from=D(2025, 6, 1)
    )
    before = _rows()
    if kind == SuccessionKind.SPLIT:
        spec = OrgChangeSpec(
            kind=kind,
            effective_date=DAY,
            predecessors=[old],
            successors=[AgencyFactory(name="Sở X"), AgencyFactory(name="Sở Y")],
        )
    else:
        spec = OrgChangeSpec(kind=kind, effective_date=DAY, predecessors=[old])
    change = orgchange_apply(actor=admin, spec=spec)
    open_row.refresh_from_db()
    later_end.refresh_from_db()
    assert (open_row.agency, open_row.valid_to) == (old, EVE)
    assert (later_end.agency, later_end.valid_to) == (old, EVE)
    assert not Membership.objects.filter(pk=future.pk).exists()
    orgchange_undo(actor=admin, change=change)
    assert _rows() == before


def test_the_preview_lists_the_extra_roles_the_change_touches(admin):
    old, target = AgencyFactory(name="Sở Cũ"), AgencyFactory(name="Sở Nhận")
    Membership.objects.create(user=_user("acting"), agency=old, role="head")
    Membership.objects.create(user=_user("gone"), agency=old, role="reporter", valid_to=D(2024, 1, 1))
    preview = orgchange_preview(
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=DAY, predecessors=[old], successors=[target]
        )
    )
    assert [m.user.username for m in preview.extra_roles] == ["acting"]
