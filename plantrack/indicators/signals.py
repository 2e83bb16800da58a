"""Signals of the indicators app: plumbing only (caches), never a workflow step.

``figures_changed`` is sent after the commit of a write that changes what a target's series or judgement looks like
(a figure recorded or deleted, a definition's settings changed), with ``plan_id`` and ``year`` (the earliest year
affected; ``None`` for every year). The consolidated report prepares its chart images on it
(``plantrack.consolidation.report.charts.charts_prepare_soon``).
"""

from django.db import transaction
from django.dispatch import Signal

figures_changed = Signal()


def figures_changed_on_commit(*, plan_id: int, year: int | None) -> None:
    transaction.on_commit(lambda: figures_changed.send(sender=None, plan_id=plan_id, year=year))


def figures_counted_on_acceptance(*, report, **kwargs) -> None:
    """A report's figures count once it is accepted: the same as a figure change for its plan and year."""
    figures_changed.send(sender=None, plan_id=report.cycle.plan_id, year=report.cycle.year)


def definitions_from_import(sender, *, plan, document, **kwargs) -> int:
    """``plans.signals.plan_measurement_proposed``: the definitions a plan import's reviewer proposed."""
    from .services import definitions_load  # local: services imports this module

    return definitions_load(plan=plan, data=document)
