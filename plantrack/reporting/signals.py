"""Signals of the reporting app: plumbing only (caches), never a workflow step.

``report_accepted`` is sent after the commit of an acceptance, with ``report``. Apps below reporting's readers
listen without reporting importing them: the indicators app announces that the report's figures now count.
"""

from django.db import transaction
from django.dispatch import Signal

report_accepted = Signal()


def report_accepted_on_commit(*, report) -> None:
    transaction.on_commit(lambda: report_accepted.send(sender=None, report=report))
