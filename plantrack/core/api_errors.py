"""The bodies of the API's refusals, for the OpenAPI schema: shared by every app's ``api.py`` and by
``plantrack.api.schema``, which adds the 4xx answers to each operation."""

from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal: a sentence for people and, for some, a code for programs."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class ValidationErrorSerializer(serializers.Serializer):
    """A refused request body: ``{field: [messages]}``, or ``detail`` for refusals that concern no one field."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class ConflictSerializer(ErrorSerializer):
    """409: the report changed since it was read (``current_version``), or it is not in a state for this move."""

    current_version = serializers.IntegerField(required=False)
