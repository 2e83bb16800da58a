"""core.page_cache: a body is rendered once per key (versions, parts, query string, language); a new version, other
parts or another language render again; a very long query string is never cached."""

from django.utils import translation

from plantrack.core.page_cache import MAX_PARAMETERS, cached_body


def counter():
    calls = []

    def render() -> str:
        calls.append(1)
        return f"<p>lần {len(calls)}</p>"

    return calls, render


def test_rendered_once_per_key():
    calls, render = counter()
    first, hit = cached_body("thu", versions="a.b", parts=(1, True), render=render)
    assert (str(first), hit) == ("<p>lần 1</p>", False)
    again, hit = cached_body("thu", versions="a.b", parts=(1, True), render=render)
    assert (str(again), hit) == ("<p>lần 1</p>", True)
    assert len(calls) == 1
    for kwargs in (
        {"versions": "a.c", "parts": (1, True)},  # a change bumped a version
        {"versions": "a.b", "parts": (1, False)},  # another visibility or right
        {"versions": "a.b", "parts": (1, True), "querystring": "trang_thai=draft"},
    ):
        _html, hit = cached_body("thu", render=render, **kwargs)
        assert not hit, kwargs
    with translation.override("en"):
        _html, hit = cached_body("thu", versions="a.b", parts=(1, True), render=render)
    assert not hit
    assert len(calls) == 5


def test_a_long_query_string_is_never_cached():
    calls, render = counter()
    long = "q=" + "x" * MAX_PARAMETERS
    for _ in range(2):
        _html, hit = cached_body("thu", versions="a", parts=(), querystring=long, render=render)
        assert not hit
    assert len(calls) == 2
