"""Measurement set-up on the product's own pages (issue 14 item 8): a coordinator sets unit, provider, components
and formula, milestones by year, with the same checks as the service; nobody else may."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from plantrack.indicators.models import IndicatorDefinition, IndicatorKind
from plantrack.indicators.selectors import rule_for
from plantrack.indicators.services import figure_record
from plantrack.indicators.setup import ComponentSpec, MeasureSpec, measurement_set
from plantrack.plans.models import Comparator
from plantrack.plans.tests.factories import TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_march_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def bare_target(world):
    """A target of an imported plan: no indicator definition yet."""
    return TargetFactory(
        plan=world.plan,
        code="II.2.9",
        short_name="Doanh nghiệp KH&CN",
        unit="doanh nghiệp",
        comparator=Comparator.AT_LEAST,
        min_value=Decimal(30),
        baseline_year=2024,
        baseline_value=Decimal(10),
        target_year=2030,
        order=9,
    )


def test_a_coordinator_sets_up_a_direct_indicator_with_milestones(world, bare_target):
    spec = MeasureSpec(fields={"provider": world.a}, milestones=[(2027, Decimal(25))])
    definition = measurement_set(actor=world.coordinator, target=bare_target, spec=spec)
    assert definition.kind == IndicatorKind.DIRECT
    assert definition.unit == "doanh nghiệp"  # from the target when left blank
    assert definition.provider == world.a
    assert definition.milestone_pairs == ((2027, Decimal(25)),)
    # The milestone shapes the path the target is judged against: 2027 expects 25, not the straight 20.
    assert rule_for(definition).milestones == ((2027, Decimal(25)),)


def test_a_computed_indicator_needs_a_formula_using_its_components(world, bare_target):
    components = [ComponentSpec("so_dn", "Số doanh nghiệp KH&CN"), ComponentSpec("dan_so", "Dân số")]
    with pytest.raises(ValidationError) as missing:
        measurement_set(actor=world.coordinator, target=bare_target, spec=MeasureSpec(components=components))
    assert "cần có công thức" in " ".join(missing.value.messages)
    with pytest.raises(ValidationError) as unknown:
        measurement_set(
            actor=world.coordinator,
            target=bare_target,
            spec=MeasureSpec(fields={"formula": "so_dn / dan_so_tb"}, components=components),
        )
    assert "Công thức chưa đúng" in " ".join(unknown.value.messages)
    with pytest.raises(ValidationError) as unused:
        measurement_set(
            actor=world.coordinator,
            target=bare_target,
            spec=MeasureSpec(fields={"formula": "so_dn * 2"}, components=components),
        )
    assert "không dùng trong công thức: dan_so" in " ".join(unused.value.messages)
    assert not IndicatorDefinition.objects.filter(target=bare_target).exists()
    definition = measurement_set(
        actor=world.coordinator,
        target=bare_target,
        spec=MeasureSpec(fields={"formula": "so_dn / dan_so * 10000"}, components=components),
    )
    assert definition.kind == IndicatorKind.COMPUTED
    assert [c.name for c in definition.components.all()] == ["so_dn", "dan_so"]
    assert definition.formula_in_words() == "Số doanh nghiệp KH&CN ÷ Dân số × 10.000"


def test_every_problem_is_reported_at_once(world, bare_target):
    spec = MeasureSpec(
        fields={"formula": "x"},
        components=[ComponentSpec("Bad Name", ""), ComponentSpec("Bad Name", "b")],
        milestones=[(2026, Decimal(1)), (2026, Decimal(2)), (2031, Decimal(3))],
    )
    with pytest.raises(ValidationError) as error:
        measurement_set(actor=world.coordinator, target=bare_target, spec=spec)
    codes = {e.code for e in error.value.error_list}
    assert {
        "component_name",
        "component_duplicate",
        "formula",
        "milestone_repeated",
        "milestone_outside",
    } <= codes


@pytest.mark.parametrize("persona", ["reporter_a", "head_a", "other_coordinator", "viewer"])
def test_only_the_plans_coordinators_set_up_measurement(world, bare_target, persona):
    with pytest.raises(PermissionDenied):
        measurement_set(actor=getattr(world, persona), target=bare_target, spec=MeasureSpec())


def test_a_change_that_would_orphan_figures_is_refused(world):
    figure_record(actor=world.coordinator, indicator=world.staff, year=2025, value="100", source_note="x")
    spec = MeasureSpec(
        fields={"formula": "dan_so * 2"},
        components=[ComponentSpec("dan_so", world.population.label)],
    )
    with pytest.raises(ValidationError) as error:
        measurement_set(actor=world.coordinator, target=world.ratio.target, spec=spec)
    assert {e.code for e in error.value.error_list} == {"component_with_figures"}
    figure_record(actor=world.coordinator, indicator=world.share, year=2025, value="41", source_note="x")
    with pytest.raises(ValidationError) as kind:
        measurement_set(
            actor=world.coordinator,
            target=world.share_target,
            spec=MeasureSpec(fields={"formula": "a"}, components=[ComponentSpec("a", "A")]),
        )
    assert {e.code for e in kind.value.error_list} == {"kind_with_figures"}


# --- pages ----------------------------------------------------------------------------------------------------


def test_the_setup_page_lists_what_is_missing(client, world, bare_target, django_assert_max_num_queries):
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("indicators:setup", args=[world.plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Còn 1 chỉ tiêu chưa thiết lập cách đo" in html
    assert reverse("indicators:measure", args=[bare_target.pk]) in html
    assert "Tính theo công thức:" in html and "×" in html  # the ratio's formula in words


def test_the_setup_page_hides_edit_buttons_from_others(client, world, bare_target):
    client.force_login(world.viewer)
    html = client.get(reverse("indicators:setup", args=[world.plan.pk])).content.decode()
    assert reverse("indicators:measure", args=[bare_target.pk]) not in html
    assert client.get(reverse("indicators:measure", args=[bare_target.pk])).status_code == 404


def _post(**extra):
    data = {
        "unit": "doanh nghiệp",
        "value_type": "integer",
        "provider": "",
        "formula": "",
        "direction": "up",
        "assessment": "end_state",
        "baseline_year": "2024",
        "baseline_value": "10",
        "decimal_places": "0",
        "method_note": "",
        "tp-TOTAL_FORMS": "2",
        "tp-INITIAL_FORMS": "0",
        "tp-0-name": "",
        "tp-0-label": "",
        "tp-1-name": "",
        "tp-1-label": "",
        "moc-TOTAL_FORMS": "2",
        "moc-INITIAL_FORMS": "0",
        "moc-0-year": "2027",
        "moc-0-value": "22,5",
        "moc-1-year": "",
        "moc-1-value": "",
    }
    data.update(extra)
    return data


def test_the_measure_page_creates_a_definition(client, world, bare_target):
    client.force_login(world.coordinator)
    url = reverse("indicators:measure", args=[bare_target.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _post(provider=str(world.a.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    definition = IndicatorDefinition.objects.get(target=bare_target)
    assert definition.provider == world.a
    assert definition.milestone_pairs == ((2027, Decimal("22.5")),)
    assert definition.baseline_value == Decimal(10)


def test_the_measure_page_shows_the_services_errors_and_keeps_the_input(client, world, bare_target):
    client.force_login(world.coordinator)
    url = reverse("indicators:measure", args=[bare_target.pk])
    response = client.post(url, _post(**{"moc-0-year": "2035", "tp-0-name": "so_dn", "tp-0-label": "Số DN"}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "phải nằm giữa năm gốc" in html
    assert "cần có công thức" in html
    assert 'value="so_dn"' in html
    assert not IndicatorDefinition.objects.filter(target=bare_target).exists()
