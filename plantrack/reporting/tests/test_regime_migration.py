"""The migration to regimes keeps existing cycles as yearly cycles and gives every plan its yearly regime."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("plans", "0003_planimportdraft_coordinator_agency_key"),
    ("reporting", "0004_entry_inherited_from"),
]
AFTER = [("plans", "0004_plan_reporting_regimes"), ("reporting", "0005_cycle_periods_and_ad_hoc_requests")]


@pytest.mark.django_db(transaction=True)
def test_existing_cycles_become_yearly_and_plans_get_their_yearly_regime():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Agency = apps.get_model("orgs", "Agency")
    agency = Agency.objects.create(
        name="Sở thử (di trú)", kind="department", valid_from=datetime.date(2020, 1, 1)
    )
    plan = apps.get_model("plans", "Plan").objects.create(
        number="386",
        symbol="KH-UBND",
        issuer=agency,
        coordinator_agency=agency,
        place="Đồng Nai",
        issued_on=datetime.date(2025, 1, 1),
        title="Kế hoạch thử",
        report_due_day=5,
        report_due_month=12,
    )
    apps.get_model("reporting", "ReportingCycle").objects.create(
        plan=plan,
        year=2025,
        due_date=datetime.date(2025, 12, 5),
        period_start=datetime.date(2024, 12, 15),
        period_end=datetime.date(2025, 12, 14),
        data_as_of=datetime.date(2025, 12, 14),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    cycle = apps.get_model("reporting", "ReportingCycle").objects.get()
    assert (cycle.period_type, cycle.period_index, cycle.ad_hoc_request_id) == ("yearly", 1, None)
    regime = apps.get_model("plans", "ReportingRegime").objects.get(plan_id=plan.pk)
    assert (regime.period, regime.due_day, regime.due_month_offset) == ("yearly", 5, 0)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
