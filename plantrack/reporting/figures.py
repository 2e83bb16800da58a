"""The agency's indicator figures on the report pages (issue 15: figures where decisions are made).

Figures belong to ``indicators``, which imports ``reporting``; so ``indicators`` registers the provider here when
the app registry is ready (``IndicatorsConfig.ready``) and ``reporting`` never imports it. The provider returns the
figure rows of the report's agency for the cycle's plan and year (``indicators.forms.report_figure_entry``: the
same forms, services and validation as the figure page), or ``None`` when the agency provides no figure.
"""

from collections.abc import Callable

_providers: list[Callable] = []


def figures_provider_register(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def report_figures(*, user, report, data=None):
    """The figure rows of ``report`` for ``user`` (bound to ``data`` on a POST of the report form), or None."""
    for provider in _providers:
        entry = provider(user=user, report=report, data=data)
        if entry is not None:
            return entry
    return None
