"""Who a user is in the rules of every app: the one home of the role predicates.

Every app asks "is this person a member (or the head) of this agency?", "does this person coordinate this plan?"
and "which rows belong to the plans this person coordinates?" through this module; none compares ``user.role``
itself. Templates get the same answers through ``accounts.context_processors.user_can``.

The module depends on nothing but ``accounts.models`` (plans are reached through their
``coordinator_agency_id`` and lookup paths), so every app may import it without a cycle.
"""

from django.db.models import Q

from .models import AGENCY_ROLES, Role


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _role(user) -> str:
    return getattr(user, "role", "")


# --- Agencies -------------------------------------------------------------------------------------------------


def is_agency_member(user) -> bool:
    """A reporter or head of some agency: they write their agency's reports and see only its drafts."""
    return _active(user) and user.is_agency_member


def is_member_of(user, agency_id: int | None) -> bool:
    """A reporter or head of the agency ``agency_id``."""
    return is_agency_member(user) and user.agency_id == agency_id


def is_head_of(user, agency_id: int | None) -> bool:
    """The head of the agency ``agency_id`` (the one who sends its report)."""
    return is_member_of(user, agency_id) and _role(user) == Role.HEAD


def agency_people_q(*, via: str = "") -> Q:
    """Users that speak for an agency (reporters and heads, active); ``via`` is the lookup path to the user."""
    return Q(**{f"{via}role__in": AGENCY_ROLES, f"{via}is_active": True})


def agency_heads_q(agency_id: int, *, via: str = "") -> Q:
    """Active heads of the agency ``agency_id``: those who decide on its report; ``via`` is the path to the user."""
    return Q(**{f"{via}agency_id": agency_id, f"{via}role": Role.HEAD, f"{via}is_active": True})


# --- Plans ----------------------------------------------------------------------------------------------------


def is_coordinator(user) -> bool:
    """An officer of a department in charge of plans (role coordinator, with their department)."""
    return _active(user) and user.is_coordinator and user.agency_id is not None


def is_coordinator_of(user, plan) -> bool:
    """Officers of the department in charge of ``plan`` (role coordinator, agency = plan.coordinator_agency)."""
    return is_coordinator(user) and user.agency_id == plan.coordinator_agency_id


def coordinated_plans_q(user, *, via: str = "") -> Q:
    """The rows whose plan ``user`` coordinates; ``via`` is the lookup path from the rows to the plan
    (``""`` for plans, ``"plan__"`` for cycles, ``"cycle__plan__"`` for reports). Nobody's rows for anyone else."""
    if not is_coordinator(user):
        return Q(pk__in=[])
    return Q(**{f"{via}coordinator_agency_id": user.agency_id})


def coordinators_q(plan, *, via: str = "") -> Q:
    """Users that coordinate ``plan`` (active coordinators of its department); ``via`` is the path to the user."""
    return Q(
        **{
            f"{via}agency_id": plan.coordinator_agency_id,
            f"{via}role": Role.COORDINATOR,
            f"{via}is_active": True,
        }
    )


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
