"""Who may see and enter what. Views and the API fetch objects only through these getters."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from plantrack.accounts.permissions import is_coordinator_of, is_member_of
from plantrack.plans.models import Plan, Target

from .models import IndicatorComponent, IndicatorDefinition, YearlyFigure

Series = IndicatorDefinition | IndicatorComponent


def series_provider_id(series: Series) -> int | None:
    if isinstance(series, IndicatorComponent):
        return series.provider_id or series.definition.provider_id
    return series.provider_id


def series_definition(series: Series) -> IndicatorDefinition:
    return series.definition if isinstance(series, IndicatorComponent) else series


def user_may_enter(user, series: Series) -> bool:
    """The plan's coordinators enter any figure (administrators manage accounts and agencies, not figures); a
    reporter or head enters the figures its agency provides."""
    definition = series_definition(series)
    if is_coordinator_of(user, definition.target.plan):
        return True
    return is_member_of(user, series_provider_id(series))


def target_get_for_user(*, user, pk: int) -> Target:
    return get_object_or_404(
        Target.objects.filter(plan__in=Plan.objects.for_user(user)).select_related("plan", "parent"), pk=pk
    )


def definition_get_for_user(*, user, pk: int, write: bool = False) -> IndicatorDefinition:
    definition = get_object_or_404(
        IndicatorDefinition.objects.for_user(user).select_related("target__plan", "provider"), pk=pk
    )
    if write and not is_coordinator_of(user, definition.target.plan):
        raise Http404
    return definition


def figure_get_for_user(*, user, pk: int, write: bool = False) -> YearlyFigure:
    figure = get_object_or_404(
        YearlyFigure.objects.for_user(user).select_related("definition__target__plan", "component", "report"),
        pk=pk,
    )
    if write and not user_may_enter(user, figure.component or figure.definition):
        raise Http404
    return figure
