"""core.page_cache: a body is rendered once per key (versions, parts, query string, language); a new version, other
parts or another language render again; a very long query string is never cached; the page is rendered around the
body's bytes."""

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
    assert (first, hit) == ("<p>lần 1</p>".encode(), False)
    again, hit = cached_body("thu", versions="a.b", parts=(1, True), render=render)
    assert (again, hit) == ("<p>lần 1</p>".encode(), True)
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


def test_the_page_is_rendered_around_the_body(rf, settings):
    from django.contrib.auth.models import AnonymousUser

    from plantrack.core.page_cache import page_with_body

    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"trang.html": "<h1>{{ title }}</h1>{{ body }}<footer>{{ title }}</footer>"},
                    )
                ]
            },
        }
    ]
    request = rf.get("/")
    request.user = AnonymousUser()
    body = "<table><tr><td>Sở Tài chính</td></tr></table>".encode()
    response = page_with_body(request, "trang.html", {"title": "Ủy ban & <b>"}, body)
    assert response.content.decode() == (
        "<h1>Ủy ban &amp; &lt;b&gt;</h1><table><tr><td>Sở Tài chính</td></tr></table>"
        "<footer>Ủy ban &amp; &lt;b&gt;</footer>"
    )


def test_a_request_mark_is_the_same_everywhere_but_secret_and_filled_per_request(rf, settings):
    """A body cached by one worker is served by the others: the mark of a per-request value (the CSRF token) is
    the same in every process, derived from the secret key; ``fill`` puts the request's value there, escaped."""
    from django.contrib.auth.models import AnonymousUser

    from plantrack.core.page_cache import page_with_body, request_mark

    mark = request_mark("csrf")
    assert mark == request_mark("csrf") and mark != request_mark("user") and mark.isalnum()
    request_mark.cache_clear()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert request_mark("csrf") != mark
    request_mark.cache_clear()  # back to the project's key for the next tests
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", {"trang.html": "<h1>x</h1>{{ body }}"})]
            },
        }
    ]
    request = rf.get("/")
    request.user = AnonymousUser()
    body = f'<input value="{mark}"><p>{mark}</p>'.encode()
    response = page_with_body(request, "trang.html", {}, body, fill={mark: 'tok<"'})
    assert mark.encode() not in response.content
    assert response.content.count(b"tok&lt;&quot;") == 2
