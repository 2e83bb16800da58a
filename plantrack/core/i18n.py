"""Language of what the office sends out."""

import functools

from django.conf import settings
from django.utils import translation


def in_office_language(func):
    """Official documents and messages to agencies are written in the office's language (``LANGUAGE_CODE``),
    whatever language the interface of the person who triggers them is set to."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper
