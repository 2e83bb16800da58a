"""Durations in words: build times in seconds, never "6282 ms"."""

import pytest
from django.utils import translation

from plantrack.core.text import duration_words


@pytest.mark.parametrize(
    ("ms", "vi", "en"),
    [
        (6282, "6,3 giây", "6.3 seconds"),
        (42_400, "42 giây", "42 seconds"),
        (125_000, "2 phút 5 giây", "2 minutes 5 seconds"),
        (None, "", ""),
    ],
)
def test_duration_words(ms, vi, en):
    with translation.override("vi"):
        assert duration_words(ms) == vi
    with translation.override("en"):
        assert duration_words(ms) == en
