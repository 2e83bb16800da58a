"""Versions of cached things, kept in the database so that they move with the data.

``bump("cycle:12")`` replaces the token of "cycle:12" inside the caller's transaction: if the change rolls back, so
does the bump; once it commits, every reader sees the new token. ``tokens(...)`` reads several in one query, and
a cache key built from them can never serve what was rendered before the change. Apps bump from their own
receivers or services; core imports no app.

The keys in use (receivers: ``plantrack.monitoring.cache_versions``, connected whenever the project runs):
"cycle:<id>" (a cycle, its reports, entries, submissions, reminders, reminder schedule), "plan:<id>" (tasks, task
groups, assignments, targets; and, from ``plantrack.plans.cache_versions``, the plan row, its references,
recipients, outline, duties and amendments), "plan-reports:<id>" (any report or cycle of the plan),
"plan-figures:<id>" (targets, indicator definitions, components, yearly figures), "plan-inspections:<id>"
(inspection plans, visits, recommendations), "agency-reports:<id>" (the agency's reports, drafts included),
"orgs" (agencies, groups, memberships).

A key's scope is what comes before its first colon ("plan", "plan-reports"). ``tokens(plan_key(ALL))`` reads one
token for every key of the scope — their count and the sum of a random number each bump draws — which changes
whenever any key of the scope is bumped, created or deleted: a page that shows every plan (the agency page, the
reports API) is keyed by two such tokens instead of one per plan, read by an index-only aggregate in the database.
"""

import secrets
import uuid

from django.db.models import CharField, Count, Sum, Value
from django.db.models.functions import Cast, Concat

from .models import CacheVersion

ORGS_KEY = "orgs"
ALL = "*"  # plan_key(ALL): every key of the scope "plan"
NONCE_BITS = 40  # a scope's sum stays within 64 bits up to 2**23 keys (SQLite's sum() raises on overflow)


def scope_of(key: str) -> str:
    return key.partition(":")[0]


def cycle_key(cycle_id: int) -> str:
    return f"cycle:{cycle_id}"


def plan_key(plan_id: int) -> str:
    return f"plan:{plan_id}"


def plan_reports_key(plan_id: int) -> str:
    """Any report of any cycle of the plan (task deadlines read the reports accepted over the years)."""
    return f"plan-reports:{plan_id}"


def agency_reports_key(agency_id: int) -> str:
    """Any change to the agency's reports, drafts included: what only the agency's own people see (their list of
    reports). A change to a draft that is seen nowhere else bumps this key alone (``AgencyReport.seen_by_agency_only``)."""
    return f"agency-reports:{agency_id}"


def plan_figures_key(plan_id: int) -> str:
    """The plan's targets, indicator definitions, components and yearly figures (the scorecard)."""
    return f"plan-figures:{plan_id}"


def plan_inspections_key(plan_id: int) -> str:
    """The plan's inspection plans, visits and recommendations (the dashboard's overdue recommendations)."""
    return f"plan-inspections:{plan_id}"


def bump(*keys: str) -> None:
    """Give each of ``keys`` a new token, in one upsert."""
    keys = tuple(dict.fromkeys(k for k in keys if k))
    if not keys:
        return
    CacheVersion.objects.bulk_create(
        [
            CacheVersion(
                key=key, scope=scope_of(key), token=uuid.uuid4().hex, nonce=secrets.randbits(NONCE_BITS)
            )
            for key in keys
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["token", "nonce"],
    )


def tokens(*keys: str) -> str:
    """The current tokens of ``keys``, joined in the order given ("-" for a key never bumped or an empty scope),
    from one query. A key "<scope>:*" (``plan_key(ALL)``) stands for every key of the scope."""
    exact = [k for k in keys if not k.endswith(":" + ALL)]
    scopes = [scope_of(k) for k in keys if k.endswith(":" + ALL)]
    queries = []
    if exact:
        queries.append(CacheVersion.objects.filter(key__in=exact).values_list("key", "token"))
    if scopes:
        queries.append(
            CacheVersion.objects.filter(scope__in=scopes)
            .order_by()
            .values("scope")
            .annotate(
                k=Concat("scope", Value(":" + ALL)),
                t=Concat(
                    Cast(Count("nonce"), CharField()),  # the index alone answers
                    Value("-"),
                    Cast(Sum("nonce"), CharField()),
                    output_field=CharField(),
                ),
            )
            .values_list("k", "t")
        )
    if not queries:
        return ""
    found = dict(queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0])
    return ".".join(found.get(key, "-") for key in keys)


def connect_bumps(receivers, *, prefix: str) -> None:
    """Connect each ``(model, receiver)`` to its model's ``post_save`` and ``post_delete`` (the receivers bump the
    versions a row shows, in the transaction that writes it); ``prefix`` makes the dispatch uids unique."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in receivers:
        uid = f"{prefix}-cache-version-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")
