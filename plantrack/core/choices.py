"""Selects of names in the one Vietnamese sort order (``core.text.vi_sort_key``), not the database's binary one.

``ViModelChoiceField`` / ``ViModelMultipleChoiceField`` are drop-in fields; ``vi_sorted(field)`` turns a field
whose queryset is set in a form's ``__init__`` into one. The labels are sorted in Python: the lists are the
province's agencies and groups (a few hundred rows), read once per form as before.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator

from .text import vi_sort_key


class ViSortedChoiceIterator(ModelChoiceIterator):
    """The empty choice first, then the queryset's choices by their label in Vietnamese order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        choices = [self.choice(obj) for obj in self.queryset]
        choices.sort(key=lambda choice: vi_sort_key(str(choice[1])))
        yield from choices


class ViModelChoiceField(forms.ModelChoiceField):
    iterator = ViSortedChoiceIterator


class ViModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ViSortedChoiceIterator


def vi_sorted(field: forms.ModelChoiceField) -> forms.ModelChoiceField:
    """Show ``field``'s choices in Vietnamese order (call after setting its queryset)."""
    field.iterator = ViSortedChoiceIterator
    field.widget.choices = field.choices
    return field
