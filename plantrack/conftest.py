"""Fixtures shared by every app's tests."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from plantrack.plans.models import Plan

# The embedded default is loaded through the real services once per test session and database; after that, its
# rows are copied back into each test's (empty) database with plain INSERTs, which is some fifty times faster than
# running load_default again. The rows are exactly what load_default wrote, so no test sees a state that
# production could not reach.
_snapshot: dict | None = None


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 — table names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def _adapt(value):
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def _restore(snapshot: dict) -> None:
    with connection.cursor() as cursor:
        for table, columns, rows in snapshot["tables"]:
            if not rows:
                continue
            placeholders = ", ".join(["%s"] * len(columns))
            cols = ", ".join(_quote(c) for c in columns)
            cursor.executemany(
                f"INSERT INTO {_quote(table)} ({cols}) VALUES ({placeholders})",  # noqa: S608
                [[_adapt(v) for v in row] for row in rows],
            )
        models = [
            m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in snapshot["names"]
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def load_default_data() -> None:
    """``manage.py load_default --no-demo``, served from the session's snapshot when the database allows it."""
    global _snapshot
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        snapshot_fits = _snapshot and _snapshot["vendor"] == connection.vendor
        if snapshot_fits and not any(_counts(cursor, _snapshot["names"]).values()):
            _restore(_snapshot)
            return
        before = _counts(cursor, tables)
    call_command("load_default", "--no-demo", verbosity=0)
    with connection.cursor() as cursor:
        after = _counts(cursor, tables)
        changed = [t for t in tables if after[t] != before[t]]
        if _snapshot is None and not any(before[t] for t in changed):
            captured = []
            for table in changed:
                cursor.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608
                captured.append((table, [d[0] for d in cursor.description], cursor.fetchall()))
            _snapshot = {"vendor": connection.vendor, "tables": captured, "names": set(changed)}


@pytest.fixture
def plan_386(db) -> Plan:
    """The embedded default (agencies, the 2025 reform, plan 386/KH-UBND, indicator definitions) as `make run`
    loads it, without demo accounts or demo data."""
    load_default_data()
    return Plan.objects.by_code("386/KH-UBND").get()
