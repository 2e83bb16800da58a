"""Writes to the agency registry."""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from plantrack.core.text import fold
from plantrack.core.versions import ORGS_KEY, bump
from plantrack.security.services import security_event_record

from .models import Agency, AgencyAlias, AgencyGroup, GroupMembership, OrgChange, Succession, SuccessionKind


class AgencyDataError(ValueError):
    pass


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@transaction.atomic
def agencies_load(*, data: dict) -> dict[str, int]:
    """Create or update agencies and groups from the ``plantrack.agencies/1`` format, keyed by official name.

    Idempotent: an agency already in the registry is left as it is (organisation changes and administrators may
    have edited it since), so loading the same data twice changes nothing. Returns counts of rows created.
    """
    if data.get("format") != "plantrack.agencies/1":
        raise AgencyDataError("Tệp dữ liệu cơ quan không đúng định dạng plantrack.agencies/1.")
    created = {"agencies": 0, "aliases": 0, "groups": 0, "memberships": 0}
    by_name: dict[str, Agency] = {}
    pending_parents: list[tuple[Agency, str]] = []
    for row in data["agencies"]:
        agency = Agency.objects.filter(name=row["name"], valid_from=_date(row.get("valid_from"))).first()
        if agency is None:
            agency = Agency(
                name=row["name"],
                valid_from=_date(row.get("valid_from")),
                short_name=row.get("short_name", ""),
                abbreviations=row.get("abbreviations", ""),
                kind=row["kind"],
                valid_to=_date(row.get("valid_to")),
                note=row.get("note", ""),
            )
            aliases = [AgencyAlias(name=alias, folded=fold(alias)) for alias in row.get("aliases", [])]
            agency.save(extra_names=tuple(a.name for a in aliases))
            for alias in aliases:
                alias.agency = agency
            AgencyAlias.objects.bulk_create(aliases)
            created["agencies"] += 1
            created["aliases"] += len(aliases)
        by_name[agency.name] = agency
        if row.get("parent"):
            pending_parents.append((agency, row["parent"]))
    for agency, parent_name in pending_parents:
        parent = by_name.get(parent_name) or Agency.objects.filter(name=parent_name).first()
        if parent is None:
            raise AgencyDataError(f"Không tìm thấy cơ quan cấp trên “{parent_name}” của “{agency.name}”.")
        if agency.parent_id is None:
            agency.parent = parent
            agency.save(update_fields=["parent", "search_text", "updated_at"])
    for row in data.get("groups", []):
        group, was_created = AgencyGroup.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
        created["groups"] += was_created
        for member in row["members"]:
            name, valid_from, valid_to = (
                (member, None, None)
                if isinstance(member, str)
                else (member["agency"], _date(member.get("valid_from")), _date(member.get("valid_to")))
            )
            agency = by_name.get(name) or Agency.objects.filter(name=name).first()
            if agency is None:
                raise AgencyDataError(
                    f"Nhóm “{group.name}” nhắc tới cơ quan không có trong danh mục: “{name}”."
                )
            _, m_created = GroupMembership.objects.get_or_create(
                group=group, agency=agency, valid_from=valid_from, defaults={"valid_to": valid_to}
            )
            created["memberships"] += m_created
    return created


# --- organisation changes -----------------------------------------------------------------------------------------


class OrgChangeError(ValueError):
    """An organisation change that cannot be applied or undone; the message says why, in Vietnamese."""


# Other apps (plans, reporting) register modules here to take part in preview, apply and undo without orgs importing
# them: assignments(change_spec) -> list of the plan assignments it touches; preview(change_spec) -> list[str];
# apply(change) -> dict of effects; undo(change, effects) -> None; blockers(change) -> list[str] of reasons the
# change cannot be undone.
CHANGE_HOOKS: list = []


@dataclass
class OrgChangeSpec:
    kind: str
    effective_date: datetime.date
    predecessors: list[Agency]
    successors: list[Agency] = field(default_factory=list)
    successor_group: AgencyGroup | None = None
    new_successor_name: str = ""
    new_successor_short_name: str = ""
    legal_basis: str = ""
    legal_basis_date: datetime.date | None = None
    note: str = ""
    date_is_uncertain: bool = False


@dataclass
class OrgChangePreview:
    spec: OrgChangeSpec
    assignments: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    users: list = field(default_factory=list)
    extra_roles: list = field(default_factory=list)  # accounts.Membership rows held for a predecessor
    other: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _validate(spec: OrgChangeSpec) -> list[str]:
    errors = []
    n_pred, n_succ = len(spec.predecessors), len(spec.successors) + bool(spec.new_successor_name)
    rules = {
        SuccessionKind.MERGE_INTO: (
            n_pred >= 1 and n_succ == 1 and not spec.new_successor_name,
            "Sáp nhập cần ít nhất một cơ quan cũ và đúng một cơ quan nhận sáp nhập đã có.",
        ),
        SuccessionKind.MERGE_NEW: (
            n_pred >= 2 and n_succ == 1,
            "Hợp nhất cần ít nhất hai cơ quan cũ và một cơ quan mới.",
        ),
        SuccessionKind.RENAME: (n_pred == 1 and n_succ == 1, "Đổi tên cần đúng một cơ quan và một tên mới."),
        SuccessionKind.SPLIT: (
            n_pred == 1 and (n_succ >= 2 or spec.successor_group is not None),
            "Chia tách cần một cơ quan cũ và ít nhất hai cơ quan kế thừa (hoặc một nhóm).",
        ),
        SuccessionKind.DISSOLVE: (
            n_pred >= 1 and n_succ == 0 and spec.successor_group is None,
            "Giải thể không có cơ quan kế thừa.",
        ),
        SuccessionKind.REESTABLISH: (
            n_pred == 1 and n_succ == 1,
            "Tái lập cần một cơ quan cũ (đã thôi hoạt động) và một cơ quan được tái lập.",
        ),
    }
    if spec.kind not in rules:
        return [f"Loại thay đổi “{spec.kind}” không hợp lệ."]
    ok, message = rules[spec.kind]
    if not ok:
        errors.append(message)
    if spec.successor_group is not None and spec.kind != SuccessionKind.SPLIT:
        errors.append("Chỉ chia tách mới chuyển nhiệm vụ cho một nhóm cơ quan.")
    day = spec.effective_date
    for agency in spec.predecessors:
        if spec.kind != SuccessionKind.REESTABLISH and not agency.is_valid_on(day):
            errors.append(f"“{agency.name}” không còn hoạt động vào ngày {day:%d/%m/%Y}.")
        if agency in spec.successors:
            errors.append(f"“{agency.name}” không thể kế thừa chính mình.")
    for agency in spec.successors:
        if not agency.is_valid_on(day):
            errors.append(f"Cơ quan kế thừa “{agency.name}” không hoạt động vào ngày {day:%d/%m/%Y}.")
    if (
        spec.new_successor_name
        and Agency.objects.filter(name=spec.new_successor_name, valid_from=day).exists()
    ):
        errors.append(f"Đã có cơ quan “{spec.new_successor_name}” bắt đầu từ {day:%d/%m/%Y}.")
    return errors


def orgchange_preview(*, spec: OrgChangeSpec) -> OrgChangePreview:
    """Everything the change would touch, without touching it."""
    preview = OrgChangePreview(spec=spec, errors=_validate(spec))
    ids = [a.pk for a in spec.predecessors]
    preview.memberships = list(
        GroupMembership.objects.valid_on(spec.effective_date)
        .filter(agency_id__in=ids)
        .select_related("group", "agency")
    )
    if spec.kind != SuccessionKind.REESTABLISH:
        preview.users = list(get_user_model().objects.filter(agency_id__in=ids, is_active=True))
        preview.extra_roles = list(
            _extra_roles_from(ids, spec.effective_date).select_related("user", "agency").order_by("pk")
        )
    for hook in CHANGE_HOOKS:
        if hasattr(hook, "assignments"):
            preview.assignments += hook.assignments(spec)
        if hasattr(hook, "preview"):
            preview.other += hook.preview(spec)
    return preview


def _membership_model():
    # accounts depends on orgs (a user's agency); orgs reaches accounts' rows by name, as it does the user model.
    return apps.get_model("accounts", "Membership")


def _extra_roles_from(agency_ids, day: datetime.date):
    """The extra roles (accounts.Membership) held for ``agency_ids`` that are still in force on ``day`` or later:
    those an organisation change from ``day`` on moves or ends. Roles that ended before stay as history."""
    Membership = _membership_model()
    return Membership.objects.filter(agency_id__in=list(agency_ids)).filter(
        models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
    )


def _membership_row(m) -> dict:
    return {
        "pk": m.pk,
        "user": m.user_id,
        "agency": m.agency_id,
        "role": m.role,
        "plan": m.plan_id,
        "valid_from": m.valid_from and m.valid_from.isoformat(),
        "valid_to": m.valid_to and m.valid_to.isoformat(),
        "created_at": m.created_at.isoformat(),
    }


def _extra_roles_follow(predecessor, successors, *, kind: str, day: datetime.date, effects: dict) -> None:
    """The predecessor's extra roles follow the rule of its users' primary agency: moved to the one successor of
    a merger or renaming, else ended the eve of the change. A role its holder already has at the successor ends
    instead of being doubled; a role that was to begin after the change can never be held and is removed. Each
    step is kept in ``effects`` for an exact undo."""
    Membership = _membership_model()
    eve = day - datetime.timedelta(days=1)
    target = successors[0] if _moves_users(kind) and len(successors) == 1 else None
    for m in _extra_roles_from([predecessor.pk], day).order_by("pk"):
        if (
            target is not None
            and not Membership.objects.filter(
                user_id=m.user_id, agency=target, role=m.role, plan_id=m.plan_id
            ).exists()
        ):
            effects["moved_extra_roles"].append([m.pk, predecessor.pk])
            Membership.objects.filter(pk=m.pk).update(agency=target)
        elif m.valid_from is not None and m.valid_from > eve:
            effects["removed_extra_roles"].append(_membership_row(m))
            m.delete()
        else:
            effects["ended_extra_roles"].append([m.pk, m.valid_to and m.valid_to.isoformat()])
            Membership.objects.filter(pk=m.pk).update(valid_to=eve)


def _extra_roles_restore(effects: dict) -> None:
    """Undo of ``_extra_roles_follow``: every row back with its agency, dates and primary key."""
    Membership = _membership_model()
    for pk, agency_pk in effects.get("moved_extra_roles", []):
        Membership.objects.filter(pk=pk).update(agency_id=agency_pk)
    for pk, valid_to in effects.get("ended_extra_roles", []):
        Membership.objects.filter(pk=pk).update(valid_to=_date(valid_to))
    for row in effects.get("removed_extra_roles", []):
        restored = Membership.objects.create(
            pk=row["pk"],
            user_id=row["user"],
            agency_id=row["agency"],
            role=row["role"],
            plan_id=row["plan"],
            valid_from=_date(row["valid_from"]),
            valid_to=_date(row["valid_to"]),
        )
        Membership.objects.filter(pk=restored.pk).update(created_at=row["created_at"])


def _moves_users(kind: str) -> bool:
    # A merged or renamed body's staff work for the successor; after a split or dissolution someone must decide.
    return kind in (SuccessionKind.MERGE_INTO, SuccessionKind.MERGE_NEW, SuccessionKind.RENAME)


@transaction.atomic
def orgchange_apply(*, actor, spec: OrgChangeSpec) -> OrgChange:
    """Record and apply an organisation change in one transaction. Effects are kept for an exact undo."""
    errors = _validate(spec)
    if errors:
        raise OrgChangeError("\n".join(errors))
    day = spec.effective_date
    eve = day - datetime.timedelta(days=1)
    effects: dict = {
        "created_agencies": [],
        "closed_agencies": [],
        "closed_memberships": [],
        "created_memberships": [],
        "moved_users": [],
        "moved_extra_roles": [],
        "ended_extra_roles": [],
        "removed_extra_roles": [],
    }
    successors = list(spec.successors)
    if spec.new_successor_name:
        model = spec.predecessors[0]
        new = Agency.objects.create(
            name=spec.new_successor_name,
            short_name=spec.new_successor_short_name,
            kind=model.kind,
            parent=model.parent,
            valid_from=day,
            note=spec.note if spec.date_is_uncertain else "",
        )
        successors.append(new)
        effects["created_agencies"].append(new.pk)
    change = OrgChange.objects.create(
        kind=spec.kind,
        effective_date=day,
        legal_basis=spec.legal_basis,
        legal_basis_date=spec.legal_basis_date,
        note=spec.note,
        date_is_uncertain=spec.date_is_uncertain,
        recorded_by=actor,
    )
    for predecessor in spec.predecessors:
        if successors:
            for successor in successors:
                Succession.objects.create(
                    change=change,
                    predecessor=predecessor,
                    successor=successor,
                    kind=spec.kind,
                    effective_date=day,
                    legal_basis=spec.legal_basis,
                    note=spec.note,
                )
        else:
            Succession.objects.create(
                change=change,
                predecessor=predecessor,
                successor_group=spec.successor_group,
                kind=spec.kind,
                effective_date=day,
                legal_basis=spec.legal_basis,
                note=spec.note,
            )
        if spec.kind == SuccessionKind.REESTABLISH:
            continue
        if predecessor.valid_to is None or predecessor.valid_to > eve:
            effects["closed_agencies"].append(
                [predecessor.pk, predecessor.valid_to and predecessor.valid_to.isoformat()]
            )
            predecessor.valid_to = eve
            predecessor.save(update_fields=["valid_to", "search_text", "updated_at"])
        for membership in GroupMembership.objects.valid_on(day).filter(agency=predecessor):
            effects["closed_memberships"].append(
                [membership.pk, membership.valid_to and membership.valid_to.isoformat()]
            )
            membership.valid_to = eve
            membership.save(update_fields=["valid_to"])
            if spec.kind in (SuccessionKind.MERGE_INTO, SuccessionKind.MERGE_NEW, SuccessionKind.RENAME):
                for successor in successors:
                    if (
                        not GroupMembership.objects.valid_on(day)
                        .filter(group=membership.group, agency=successor)
                        .exists()
                    ):
                        created = GroupMembership.objects.create(
                            group=membership.group, agency=successor, valid_from=day
                        )
                        effects["created_memberships"].append(created.pk)
        if _moves_users(spec.kind) and len(successors) == 1:
            users = get_user_model().objects.filter(agency=predecessor)
            effects["moved_users"] += [[u.pk, predecessor.pk] for u in users]
            users.update(agency=successors[0])
        _extra_roles_follow(predecessor, successors, kind=spec.kind, day=day, effects=effects)
    for hook in CHANGE_HOOKS:
        if hasattr(hook, "apply"):
            effects.setdefault("hooks", {})[hook.__name__] = hook.apply(change)
    change.effects = effects
    change.save(update_fields=["effects", "updated_at"])
    if actor is not None:  # a person's change; the embedded data loaded by load_default is audited by history
        security_event_record(
            actor=actor,
            action="org_change_applied",
            target=str(change),
            detail={
                "change": change.pk,
                "moved_users": len(effects["moved_users"]),
                "moved_extra_roles": len(effects["moved_extra_roles"]),
                "ended_extra_roles": len(effects["ended_extra_roles"]) + len(effects["removed_extra_roles"]),
            },
        )
    return change


def orgchange_undo_blockers(*, change: OrgChange) -> list[str]:
    """Reasons the change cannot be undone (empty list: it can)."""
    if change.undone_at:
        return ["Thay đổi này đã được hoàn tác."]
    reasons = []
    touched = set(change.successions.values_list("predecessor_id", flat=True)) | set(
        change.successions.exclude(successor=None).values_list("successor_id", flat=True)
    )
    later = (
        Succession.objects.filter(change__undone_at__isnull=True, change__pk__gt=change.pk)
        .filter(models.Q(predecessor_id__in=touched) | models.Q(successor_id__in=touched))
        .exclude(change=change)
        .select_related("change")
    )
    for edge in later:
        reasons.append(f"Thay đổi sau đó ({edge.change}) dựa trên các cơ quan này.")
    for hook in CHANGE_HOOKS:
        if hasattr(hook, "blockers"):
            reasons += hook.blockers(change)
    return sorted(set(reasons))


@transaction.atomic
def orgchange_undo(*, actor, change: OrgChange) -> OrgChange:
    """Reverse exactly what orgchange_apply did, while nothing depends on it."""
    change = OrgChange.objects.select_for_update().get(pk=change.pk)
    reasons = orgchange_undo_blockers(change=change)
    if reasons:
        raise OrgChangeError("Không thể hoàn tác:\n" + "\n".join(reasons))
    effects = change.effects
    for hook in reversed(CHANGE_HOOKS):
        if hasattr(hook, "undo"):
            hook.undo(change, effects.get("hooks", {}).get(hook.__name__))
    user_model = get_user_model()
    for user_pk, agency_pk in effects.get("moved_users", []):
        user_model.objects.filter(pk=user_pk).update(agency_id=agency_pk)
    _extra_roles_restore(effects)
    GroupMembership.objects.filter(pk__in=effects.get("created_memberships", [])).delete()
    for pk, valid_to in effects.get("closed_memberships", []):
        GroupMembership.objects.filter(pk=pk).update(valid_to=_date(valid_to))
    for pk, valid_to in effects.get("closed_agencies", []):
        agency = Agency.objects.get(pk=pk)
        agency.valid_to = _date(valid_to)
        agency.save(update_fields=["valid_to", "search_text", "updated_at"])
    change.successions.all().delete()
    for pk in effects.get("created_agencies", []):
        agency = Agency.objects.get(pk=pk)
        if not agency.users.exists() and not agency.extra_memberships.exists():
            agency.delete()
    change.undone_at = timezone.now()
    change.undone_by = actor
    change.save(update_fields=["undone_at", "undone_by", "updated_at"])
    bump(ORGS_KEY)  # memberships reopened by UPDATE send no post_save
    security_event_record(
        actor=actor, action="org_change_undone", target=str(change), detail={"change": change.pk}
    )
    return change


def _agency_named_on(name: str, day: datetime.date) -> Agency:
    """The agency called ``name`` that existed on ``day`` (two rows can share a name at different times)."""
    found = list(Agency.objects.filter(name=name).valid_on(day)[:2])
    if len(found) != 1:
        raise AgencyDataError(f"Không xác định được cơ quan “{name}” vào ngày {day:%d/%m/%Y}.")
    return found[0]


@transaction.atomic
def orgchanges_load(*, data: dict, actor=None) -> dict[str, int]:
    """Load recorded organisation changes (``plantrack.orgchanges/1``) through orgchange_apply. Idempotent: a
    change already recorded (same kind, date and predecessors, not undone) is skipped."""
    if data.get("format") != "plantrack.orgchanges/1":
        raise AgencyDataError("Tệp dữ liệu thay đổi tổ chức không đúng định dạng plantrack.orgchanges/1.")
    counts = agencies_load(
        data={
            "format": "plantrack.agencies/1",
            "agencies": data.get("agencies", []),
            "groups": data.get("groups", []),
        }
    )
    counts["changes"] = 0
    for row in data["changes"]:
        day = datetime.date.fromisoformat(row["effective_date"])
        eve = day - datetime.timedelta(days=1)
        if row["kind"] == SuccessionKind.REESTABLISH:
            # The body re-established had stopped working before: take the row that ended most recently.
            predecessors = [
                Agency.objects.filter(name=name, valid_to__lt=day).order_by("-valid_to").first()
                for name in row["predecessors"]
            ]
            if None in predecessors:
                raise AgencyDataError(
                    f"Không có cơ quan đã thôi hoạt động để tái lập: {row['predecessors']}."
                )
        else:
            predecessors = [_agency_named_on(name, eve) for name in row["predecessors"]]
        already = (
            Succession.objects.filter(
                change__undone_at__isnull=True,
                change__kind=row["kind"],
                effective_date=day,
                predecessor__in=predecessors,
            )
            .values("change")
            .distinct()
            .count()
        )
        if already:
            continue
        group = AgencyGroup.objects.get(name=row["successor_group"]) if row.get("successor_group") else None
        spec = OrgChangeSpec(
            kind=row["kind"],
            effective_date=day,
            predecessors=predecessors,
            successors=[_agency_named_on(name, day) for name in row.get("successors", [])],
            successor_group=group,
            new_successor_name=row.get("new_successor", ""),
            legal_basis=row.get("legal_basis", ""),
            legal_basis_date=_date(row.get("legal_basis_date")),
            note=row.get("note", ""),
            date_is_uncertain=bool(row.get("date_is_uncertain")),
        )
        orgchange_apply(actor=actor, spec=spec)
        counts["changes"] += 1
    return counts
