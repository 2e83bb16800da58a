"""Numbers the API takes from a caller (query-string filters, body fields) that answer 400, never 500, whatever
the value: an id the database cannot even compare is invalid input, not a server error."""

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Largest value of a 64-bit integer column (ids, years): a larger number cannot even be compared by the database
# (SQLite raises OverflowError, a 500), so it is refused as invalid input instead.
DB_INT_MAX = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": DB_INT_MAX})
class IdFilter(filters.NumberFilter):
    """A whole number from 1 to DB_INT_MAX (an object id, a year), or 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(*args, **kwargs)


class IdField(serializers.IntegerField):
    """A body field holding an object id (1 to DB_INT_MAX). Its bounds are also checked when DRF uses it only to
    convert a value (``PrimaryKeyRelatedField(pk_field=IdField())``), where validators would not run."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        self.run_validators(value)
        return value
