"""The scorecard page's body is cached per version of the plan, its figures, its reports and the agencies, per
what the reader may see (``figure_visibility_key``) and rights (issue 17): a figure recorded or a report accepted
shows on the very next request, an agency's draft figure never reaches another reader through the cache, and a
warm request reads no figure."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plantrack.indicators.services import figure_record
from plantrack.reporting import services as reporting

from .test_views import _submit, login, report_a, series  # noqa: F401 (report_a: a fixture)

pytestmark = pytest.mark.django_db


def scorecard(client, world, user, **params) -> tuple[str, object]:
    response = login(client, user).get(reverse("indicators:scorecard", args=[world.plan.pk]), params)
    assert response.status_code == 200
    return response.content.decode(), response


def row(html: str, short_name: str) -> str:
    start = html.index(short_name)
    return html[start : html.index("</tr>", start)]


def test_second_request_is_served_from_the_cache_and_reads_no_figure(client, world):
    series(world)
    cache.clear()
    first, response = scorecard(client, world, world.viewer, nam=2025)
    assert response.context["rows"] is not None  # computed
    with CaptureQueriesContext(connection) as ctx:
        second, response = scorecard(client, world, world.viewer, nam=2025)
    assert response.context["rows"] is None  # read from the cache

    def body(html: str) -> str:
        return html[html.index("<h1>") : html.index("</table>")]

    assert body(second) == body(first)
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert '"indicators_yearlyfigure"' not in sql and '"plans_target"' not in sql
    assert sum("core_cacheversion" in q["sql"] for q in ctx.captured_queries) == 1


def test_a_figure_recorded_shows_at_once(client, world):
    series(world)
    assert "40,9" in row(scorecard(client, world, world.viewer, nam=2025)[0], "Tỷ trọng thử")
    figure_record(
        actor=world.coordinator,
        indicator=world.share,
        year=2025,
        value="43,7",
        source_note="",
        explanation="x",
    )
    assert "43,7" in row(scorecard(client, world, world.viewer, nam=2025)[0], "Tỷ trọng thử")


def test_a_target_renamed_shows_at_once(client, world):
    scorecard(client, world, world.viewer, nam=2025)
    world.share_target.short_name = "Tỷ trọng đổi tên"
    world.share_target.save()
    assert "Tỷ trọng đổi tên" in scorecard(client, world, world.viewer, nam=2025)[0]


def test_a_draft_figure_never_reaches_another_reader_and_shows_once_accepted(client, world, report_a):  # noqa: F811
    figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="41,3", source_note="")
    cache.clear()
    assert "41,3" in row(scorecard(client, world, world.reporter_a, nam=2025)[0], "Tỷ trọng thử")
    # served after the agency's own page was cached: never its draft
    for other in (world.reporter_b, world.viewer, world.coordinator):
        assert "41,3" not in row(scorecard(client, world, other, nam=2025)[0], "Tỷ trọng thử")
    report = _submit(report_a, world.head_a)
    assert "41,3" in row(scorecard(client, world, world.coordinator, nam=2025)[0], "Tỷ trọng thử")
    assert "41,3" not in row(scorecard(client, world, world.viewer, nam=2025)[0], "Tỷ trọng thử")
    reporting.report_accept(actor=world.coordinator, report=report, version=report.version)
    assert "41,3" in row(scorecard(client, world, world.viewer, nam=2025)[0], "Tỷ trọng thử")


def test_the_coordinators_buttons_stay_theirs(client, world):
    """The coordinator's body links to the indicator settings; a viewer served after it has no such link."""
    setup = reverse("indicators:setup", args=[world.plan.pk])
    cache.clear()
    assert setup in scorecard(client, world, world.coordinator)[0]
    assert setup not in scorecard(client, world, world.viewer)[0]
    assert setup not in scorecard(client, world, world.other_coordinator)[0]
