"""Who a user is in the rules of every app: the one home of the role predicates.

Every app asks "is this person a member (or the head) of this agency?", "does this person coordinate this plan?"
and "which rows belong to the plans this person coordinates?" through this module; none compares ``user.role``
itself. Templates get the same answers through ``accounts.context_processors.user_can``.

The module depends on nothing but ``accounts.models`` (plans are reached through their
``coordinator_agency_id`` and lookup paths), so every app may import it without a cycle.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from .models import AGENCY_ROLES, Membership, Role, User


@dataclass(frozen=True)
class Hat:
    """One role a user holds: the primary one on ``User`` or an extra ``Membership``. ``plan_id`` narrows a
    coordinator to one plan of their department (None: every plan it follows up)."""

    role: str
    agency_id: int | None
    plan_id: int | None = None


_HATS_ATTR = "_plantrack_hats"
# Set by accounts.backends on the user of a request: False when the user holds no extra role today.
HAS_EXTRA_ROLES_ATTR = "plantrack_has_extra_roles"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role(user) -> str:
    return getattr(user, "role", "")


def hats(user) -> tuple[Hat, ...]:
    """Every role ``user`` holds today, the primary one first. Computed once per user object (one query, and only
    for a user who has extra memberships is anything more than the primary returned). The user of a request
    (``accounts.backends``) comes with whether it holds any extra role today: without one, no query at all."""
    if not _active(user):
        return ()
    cached = getattr(user, _HATS_ATTR, None)
    if cached is not None:
        return cached
    found = [Hat(role=_role(user), agency_id=user.agency_id)]
    if user.pk is not None and getattr(user, HAS_EXTRA_ROLES_ATTR, True):
        extra = Membership.objects.filter(user_id=user.pk).valid_on(datetime.date.today())
        found += [
            Hat(role=r, agency_id=a, plan_id=p)
            for r, a, p in extra.values_list("role", "agency_id", "plan_id")
        ]
    result = tuple(dict.fromkeys(found))
    setattr(user, _HATS_ATTR, result)
    return result


def hats_forget(user) -> None:
    """Drop the cached roles of ``user`` (after a membership was added or removed): the next question reads the
    memberships again."""
    for attr in (_HATS_ATTR, HAS_EXTRA_ROLES_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


# --- Agencies -------------------------------------------------------------------------------------------------


def member_agency_ids(user) -> frozenset[int]:
    """The agencies ``user`` is a reporter or head of."""
    return frozenset(h.agency_id for h in hats(user) if h.role in AGENCY_ROLES and h.agency_id is not None)


def headed_agency_ids(user) -> frozenset[int]:
    """The agencies ``user`` is the head of."""
    return frozenset(h.agency_id for h in hats(user) if h.role == Role.HEAD and h.agency_id is not None)


def is_agency_member(user) -> bool:
    """A reporter or head of some agency: they write their agency's reports and see only its drafts."""
    return bool(member_agency_ids(user))


def is_member_of(user, agency_id: int | None) -> bool:
    """A reporter or head of the agency ``agency_id``."""
    return agency_id is not None and agency_id in member_agency_ids(user)


def is_head_of(user, agency_id: int | None) -> bool:
    """The head of the agency ``agency_id`` (the one who sends its report)."""
    return agency_id is not None and agency_id in headed_agency_ids(user)


def _ids(agencies) -> list[int]:
    """One agency or several, as rows or ids."""
    if agencies is None:
        return []
    if isinstance(agencies, int) or hasattr(agencies, "pk"):
        agencies = [agencies]
    return [getattr(a, "pk", a) for a in agencies if a is not None]


def _roles(roles) -> list[str]:
    return [roles] if isinstance(roles, str) else list(roles)


ANY_AGENCY = object()  # role_holders(…, ANY_AGENCY): whatever the agency (the account list's role filter)


def role_holders(roles, agencies, *, plan=None, active_only: bool = True):
    """THE people of an agency: the active users holding one of ``roles`` (one role or several) for one of
    ``agencies`` (one agency or several, rows or ids), by their primary role on ``User`` or by an extra
    ``Membership`` valid today. With ``plan``, a coordinator membership narrowed to another plan does not count.

    Every "who speaks for these agencies" question — recipients of notifications and reminders, the heads a report
    is handed to, a plan's coordinators, the account list's filters — goes through here, so an extra role reaches
    all a primary one does. A queryset of users, each once (the memberships are a subquery, not a join).
    ``agencies`` may be ``ANY_AGENCY``; ``active_only=False`` keeps deactivated accounts (the account list)."""
    wanted = _roles(roles)
    primary = Q(role__in=wanted)
    extra = Membership.objects.filter(role__in=wanted).valid_on(datetime.date.today())
    if agencies is not ANY_AGENCY:
        ids = _ids(agencies)
        primary &= Q(agency_id__in=ids)
        extra = extra.filter(agency_id__in=ids)
    if active_only:
        primary &= Q(is_active=True)
        extra = extra.filter(user__is_active=True)
    if plan is not None:
        extra = extra.filter(Q(plan__isnull=True) | Q(plan_id=plan.pk))
    return User.objects.filter(primary | Q(pk__in=extra.values("user_id")))


def role_holders_by_agency(roles, agencies) -> dict[int, list[tuple[User, str]]]:
    """``role_holders`` per agency: ``{agency_id: [(user, role), …]}`` for every agency asked (empty lists
    included), each user once per agency under the first role they hold there (heads before reporters, then by
    account), primary and extra memberships alike. Two queries whatever the number of agencies."""
    ids, wanted = _ids(agencies), _roles(roles)
    found: dict[int, dict[int, tuple[User, str]]] = {agency_id: {} for agency_id in ids}
    users = {u.pk: u for u in role_holders(wanted, ids)}
    pairs = [(u.agency_id, u.pk, u.role) for u in users.values() if u.agency_id in found and u.role in wanted]
    pairs += list(
        Membership.objects.filter(user_id__in=list(users), agency_id__in=ids, role__in=wanted)
        .valid_on(datetime.date.today())
        .values_list("agency_id", "user_id", "role")
    )
    for agency_id, user_id, role in sorted(pairs, key=lambda p: (p[2], p[1])):
        found[agency_id].setdefault(user_id, (users[user_id], role))
    return {agency_id: list(people.values()) for agency_id, people in found.items()}


# --- Plans ----------------------------------------------------------------------------------------------------


def _coordinator_hats(user) -> list[Hat]:
    return [h for h in hats(user) if h.role == Role.COORDINATOR and h.agency_id is not None]


def coordinator_agency_ids(user) -> frozenset[int]:
    """The departments ``user`` coordinates plans for."""
    return frozenset(h.agency_id for h in _coordinator_hats(user))


def is_coordinator(user) -> bool:
    """An officer of a department in charge of plans (role coordinator, with their department)."""
    return bool(_coordinator_hats(user))


def is_coordinator_of(user, plan) -> bool:
    """Officers of the department in charge of ``plan`` (role coordinator, agency = plan.coordinator_agency), or
    narrowed to that very plan."""
    return any(
        h.agency_id == plan.coordinator_agency_id and h.plan_id in (None, plan.pk)
        for h in _coordinator_hats(user)
    )


def coordinated_scope(user) -> tuple[tuple[int, int], ...]:
    """What ``coordinated_plans_q`` selects by, as a value: ``(department, plan or 0)`` of each coordinator role,
    sorted — users with the same value coordinate the same plans (a cache key part)."""
    return tuple(sorted((h.agency_id, h.plan_id or 0) for h in _coordinator_hats(user)))


def coordinated_plans_q(user, *, via: str = "") -> Q:
    """The rows whose plan ``user`` coordinates; ``via`` is the lookup path from the rows to the plan
    (``""`` for plans, ``"plan__"`` for cycles, ``"cycle__plan__"`` for reports). Nobody's rows for anyone else."""
    q = Q(pk__in=[])
    for h in _coordinator_hats(user):
        one = Q(**{f"{via}coordinator_agency_id": h.agency_id})
        if h.plan_id is not None:
            one &= Q(**{f"{via}pk": h.plan_id})
        q |= one
    return q


def is_viewer(user) -> bool:
    """Provincial leaders and the Ministry: read every plan's follow-up, change nothing."""
    return _active(user) and _role(user) == Role.VIEWER


def follows_plans(user) -> bool:
    """Whoever follows plans up: coordinators and viewers (the dashboards and the consolidated reports)."""
    return is_coordinator(user) or is_viewer(user)


def follows_plan(user, plan) -> bool:
    """May read the follow-up of ``plan``: its coordinators, and viewers."""
    return is_coordinator_of(user, plan) or is_viewer(user)


def is_administrator(user) -> bool:
    """Administrators manage accounts and agencies (role admin or superuser), not figures or reports."""
    return _active(user) and user.is_administrator


def may_import_plans(user) -> bool:
    """Plan import is for administrators and coordinators (PRODUCT.md §2)."""
    return is_administrator(user) or is_coordinator(user)
