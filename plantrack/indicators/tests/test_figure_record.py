"""The service every figure goes through: permissions, validation, jumps, computed values, reports."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from plantrack.indicators.models import YearlyFigure
from plantrack.indicators.selectors import indicator_points, target_indicator_view
from plantrack.indicators.services import JumpNeedsExplanation, figure_delete, figure_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_march_2026():
    # Figures may be entered up to the current year: freeze it so the tests never depend on the calendar.
    with time_machine.travel(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


class TestFigureRecord:
    def test_provider_records_with_a_decimal_comma(self, world):
        figure = figure_record(
            actor=world.reporter_a,
            indicator=world.share,
            year=2025,
            value="62,8",
            source_note="Niên giám 2025",
        )
        assert figure.value == Decimal("62.8")
        assert figure.entered_by == world.reporter_a
        assert figure.agency == world.a
        assert figure.report is None
        assert figure.history.count() == 1
        assert figure.history.first().history_user == world.reporter_a

    def test_recording_again_corrects_the_same_row(self, world):
        figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="40", source_note="")
        figure_record(actor=world.head_a, indicator=world.share, year=2025, value="41,5", source_note="sửa")
        figure = YearlyFigure.objects.get(definition=world.share, year=2025)
        assert figure.value == Decimal("41.5")
        assert figure.entered_by == world.head_a
        assert figure.history.count() == 2

    def test_other_agency_viewer_and_other_coordinator_may_not_enter(self, world):
        for actor in (world.reporter_b, world.viewer, world.other_coordinator):
            with pytest.raises(PermissionDenied):
                figure_record(actor=actor, indicator=world.share, year=2025, value="40", source_note="")
        assert not YearlyFigure.objects.exists()

    def test_coordinator_enters_any_figure(self, world):
        figure_record(
            actor=world.coordinator, indicator=world.population, year=2025, value="3169100", source_note=""
        )
        assert (
            YearlyFigure.objects.get().agency == world.b
        )  # provenance: the providing agency, not the typist

    def test_component_provider_is_its_own_or_the_indicators(self, world):
        figure_record(
            actor=world.reporter_b, indicator=world.population, year=2025, value="3169100", source_note=""
        )
        figure_record(actor=world.reporter_a, indicator=world.staff, year=2025, value="2450", source_note="")
        with pytest.raises(PermissionDenied):
            figure_record(
                actor=world.reporter_a, indicator=world.population, year=2025, value="1", source_note=""
            )
        with pytest.raises(PermissionDenied):
            figure_record(actor=world.reporter_b, indicator=world.staff, year=2025, value="1", source_note="")

    @pytest.mark.parametrize(
        ("value", "code"),
        [
            ("6,2,8", "malformed"),
            ("abc", "not_a_number"),
            ("101", "range"),
            ("-1", "range"),
            ("1.234", "ambiguous"),
        ],
    )
    def test_bad_values_are_refused_with_a_vietnamese_message(self, world, value, code):
        with pytest.raises(ValidationError) as exc:
            figure_record(
                actor=world.reporter_a, indicator=world.share, year=2025, value=value, source_note=""
            )
        assert exc.value.code == code
        assert exc.value.messages[0][0].isupper() or exc.value.messages[0].startswith("«")
        assert not YearlyFigure.objects.exists()

    def test_integer_components_refuse_fractions(self, world):
        with pytest.raises(ValidationError) as exc:
            figure_record(
                actor=world.reporter_a, indicator=world.staff, year=2025, value="10,5", source_note=""
            )
        assert exc.value.code == "integer"

    def test_computed_indicator_is_never_typed(self, world):
        with pytest.raises(ValidationError) as exc:
            figure_record(
                actor=world.coordinator, indicator=world.ratio, year=2025, value="8", source_note=""
            )
        assert exc.value.code == "computed"

    def test_future_year_is_refused(self, world):
        with pytest.raises(ValidationError) as exc:
            figure_record(
                actor=world.reporter_a, indicator=world.share, year=2027, value="40", source_note=""
            )
        assert exc.value.code == "year"

    def test_jump_needs_an_explanation(self, world):
        figure_record(actor=world.reporter_a, indicator=world.share, year=2024, value="40", source_note="")
        # +20 % is at the threshold: accepted without a word.
        figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="48", source_note="")
        with pytest.raises(JumpNeedsExplanation) as exc:
            figure_record(
                actor=world.reporter_a, indicator=world.share, year=2025, value="48,5", source_note=""
            )
        assert exc.value.previous == Decimal(40)
        assert "giải trình" in exc.value.messages[0]
        assert YearlyFigure.objects.get(year=2025).value == Decimal(48)
        figure = figure_record(
            actor=world.reporter_a,
            indicator=world.share,
            year=2025,
            value="48,5",
            source_note="",
            explanation="Đổi phương pháp tính",
        )
        assert figure.explanation == "Đổi phương pháp tính"

    def test_component_jump_uses_its_own_threshold(self, world):
        figure_record(
            actor=world.reporter_b, indicator=world.population, year=2024, value="3360000", source_note=""
        )
        with pytest.raises(JumpNeedsExplanation):
            figure_record(
                actor=world.reporter_b, indicator=world.population, year=2025, value="4491400", source_note=""
            )
        # No threshold on staff: any change is accepted.
        figure_record(actor=world.reporter_a, indicator=world.staff, year=2024, value="100", source_note="")
        figure_record(actor=world.reporter_a, indicator=world.staff, year=2025, value="900", source_note="")

    def test_delete_by_provider_keeps_history(self, world):
        figure = figure_record(
            actor=world.reporter_a, indicator=world.share, year=2025, value="40", source_note=""
        )
        with pytest.raises(PermissionDenied):
            figure_delete(actor=world.reporter_b, figure=figure)
        figure_delete(actor=world.reporter_a, figure=figure)
        assert not YearlyFigure.objects.exists()
        assert YearlyFigure.history.filter(history_type="-").count() == 1


class TestComputedValues:
    def test_ratio_is_derived_from_its_components(self, world):
        figure_record(actor=world.reporter_a, indicator=world.staff, year=2025, value="3900", source_note="")
        points = indicator_points(world.ratio, YearlyFigure.objects.all())
        assert points[2025].value is None
        assert "Dân số" in points[2025].problem
        figure_record(
            actor=world.reporter_b, indicator=world.population, year=2025, value="4491400", source_note=""
        )
        points = indicator_points(world.ratio, YearlyFigure.objects.all())
        assert points[2025].value == Decimal("8.6833")
        assert {f.component_id for f in points[2025].inputs} == {world.staff.pk, world.population.pk}

    def test_growth_needs_last_years_count(self, world):
        figure_record(actor=world.reporter_a, indicator=world.count, year=2024, value="236", source_note="")
        figure_record(actor=world.reporter_a, indicator=world.count, year=2025, value="280", source_note="")
        view = target_indicator_view(target=world.growth.target, user=world.viewer)
        assert view.points[2024].value is None
        assert "2023" in view.points[2024].problem
        assert view.series == {2025: Decimal("18.6441")}
        assert view.verdict(2025).status == "at_risk"

    def test_correcting_a_component_changes_the_derived_value(self, world):
        figure_record(actor=world.reporter_a, indicator=world.count, year=2024, value="100", source_note="")
        figure_record(actor=world.reporter_a, indicator=world.count, year=2025, value="120", source_note="")
        assert target_indicator_view(target=world.growth.target, user=world.viewer).series[2025] == Decimal(
            20
        )
        figure_record(actor=world.reporter_a, indicator=world.count, year=2025, value="110", source_note="")
        assert target_indicator_view(target=world.growth.target, user=world.viewer).series[2025] == Decimal(
            10
        )

    def test_division_by_zero_is_a_problem_not_a_crash(self, world):
        figure_record(actor=world.reporter_a, indicator=world.count, year=2024, value="0", source_note="")
        figure_record(actor=world.reporter_a, indicator=world.count, year=2025, value="5", source_note="")
        view = target_indicator_view(target=world.growth.target, user=world.viewer)
        assert view.points[2025].value is None
        assert "chia cho 0" in view.points[2025].problem
