"""Charts are prepared when figures change (issue 12 point 10): a figure write draws, after its commit, exactly the
chart it changes into the content-keyed cache, and the build then draws nothing."""

from pathlib import Path

import pytest

from plantrack.consolidation.report import charts
from plantrack.consolidation.report.build import build_consolidated
from plantrack.consolidation.report.compile import _target_rows
from plantrack.indicators.models import IndicatorDefinition
from plantrack.indicators.services import definition_update, figure_delete, figure_record

pytestmark = pytest.mark.django_db

CODES = ("II.2.2", "II.2.3")


@pytest.fixture
def prepare_inline(settings):
    settings.CONSOLIDATED_CHART_PREPARE = "inline"


def cached() -> set[str]:
    return {p.stem for p in Path(charts.cache_dir()).glob("*.png")} if charts.cache_dir().exists() else set()


def keys(cycle) -> dict[str, str]:
    """Target code → the chart key the build of ``cycle`` would look up."""
    return {
        row.target.code: charts.chart_key(row)
        for row in charts._chartable(_target_rows(cycle.plan, cycle.year))
    }


def record(world, code: str, year: int, value: str, capture):
    definition = IndicatorDefinition.objects.get(target__code=code)
    with capture(execute=True):
        return figure_record(
            actor=world.coordinator, indicator=definition, year=year, value=value, source_note="CTK"
        )


def test_a_figure_change_draws_exactly_its_chart_and_replaces_its_key(
    cycle_2025, prepare_inline, django_capture_on_commit_callbacks
):
    for code in CODES:
        record(cycle_2025, code, 2024, "40,3", django_capture_on_commit_callbacks)
    before = keys(cycle_2025.cycle)
    assert set(before) == set(CODES)
    assert cached() == set(before.values())  # both prepared by the figure writes, before any build

    draws = charts.draw_count
    record(cycle_2025, "II.2.3", 2025, "41,0", django_capture_on_commit_callbacks)
    after = keys(cycle_2025.cycle)
    assert charts.draw_count - draws == 1
    assert after["II.2.2"] == before["II.2.2"]  # the other chart keeps its entry
    assert after["II.2.3"] != before["II.2.3"]
    assert cached() == {*before.values(), after["II.2.3"]}  # one new entry; the stale one is harmless


def test_the_build_uses_the_prepared_charts(cycle_2025, prepare_inline, django_capture_on_commit_callbacks):
    for code in CODES:
        record(cycle_2025, code, 2025, "40,3", django_capture_on_commit_callbacks)
    draws = charts.draw_count
    built = build_consolidated(cycle=cycle_2025.cycle, charts=True)
    assert charts.draw_count == draws  # nothing drawn at build time
    assert built.timings["charts"] < 0.5
    assert b"word/media/" in built.docx  # and the pictures are in the document


def test_without_preparation_the_build_draws_and_caches(
    cycle_2025, settings, django_capture_on_commit_callbacks
):
    settings.CONSOLIDATED_CHART_PREPARE = "off"
    record(cycle_2025, "II.2.2", 2025, "40,3", django_capture_on_commit_callbacks)
    assert cached() == set()
    draws = charts.draw_count
    build_consolidated(cycle=cycle_2025.cycle, charts=True)
    assert charts.draw_count - draws == 1
    build_consolidated(cycle=cycle_2025.cycle, charts=True)
    assert charts.draw_count - draws == 1  # the second build reads the cache


def test_deleting_a_figure_or_changing_a_rule_prepares_the_new_chart(
    cycle_2025, prepare_inline, django_capture_on_commit_callbacks
):
    figure = record(cycle_2025, "II.2.2", 2024, "40,3", django_capture_on_commit_callbacks)
    record(cycle_2025, "II.2.2", 2025, "40,9", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        figure_delete(actor=cycle_2025.coordinator, figure=figure)
    assert keys(cycle_2025.cycle)["II.2.2"] in cached()
    definition = IndicatorDefinition.objects.get(target__code="II.2.2")
    with django_capture_on_commit_callbacks(execute=True):
        definition_update(actor=cycle_2025.coordinator, definition=definition, tolerance_percent=7)
    assert keys(cycle_2025.cycle)["II.2.2"] in cached()


def test_nothing_is_prepared_before_the_commit(
    cycle_2025, prepare_inline, django_capture_on_commit_callbacks
):
    draws = charts.draw_count
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        figure_record(
            actor=cycle_2025.coordinator,
            indicator=IndicatorDefinition.objects.get(target__code="II.2.2"),
            year=2025,
            value="40,3",
            source_note="CTK",
        )
    assert callbacks and charts.draw_count == draws and cached() == set()
