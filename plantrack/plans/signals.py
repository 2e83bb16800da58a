"""Signals of the plans app, for apps above it: they listen, plans never imports them."""

from django.dispatch import Signal

# A plan read from a document was published, with how the reviewer proposed to measure its targets:
# ``send(sender=Plan, plan=plan, document={"format": "plantrack.indicators/1", "indicators": [...]})``. The
# indicators app creates the definitions (indicators.signals.definitions_from_import).
plan_measurement_proposed = Signal()
