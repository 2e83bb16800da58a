"""Request ids: one per request, in the response header and in every log line, taken from a trusted proxy only
when it looks like an id."""

import logging

import pytest

from plantrack.core import health, queue, request_id

pytestmark = pytest.mark.django_db
NGINX_ID = "0123456789abcdef0123456789abcdef"


def test_each_request_gets_a_new_id_in_the_response(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32 and first != second


def test_the_proxy_id_is_used_only_behind_a_trusted_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client.get("/healthz", headers={"X-Request-ID": NGINX_ID})["X-Request-ID"] != NGINX_ID

    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", headers={"X-Request-ID": NGINX_ID})["X-Request-ID"] == NGINX_ID


@pytest.mark.parametrize("forged", ["abc\nlevel=ERROR fake line", "x" * 200, "short", "a b c d e f g h"])
def test_an_id_that_does_not_look_like_one_is_replaced(client, settings, forged):
    settings.TRUSTED_PROXY_COUNT = 1

    answered = client.get("/healthz", headers={"X-Request-ID": forged})["X-Request-ID"]

    assert answered != forged and len(answered) == 32


def test_log_lines_of_a_request_carry_its_id(client, settings, caplog, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setitem(health.CHECKS, "cache", lambda: False)  # makes the view log a warning
    caplog.handler.addFilter(request_id.RequestIdLogFilter())

    with caplog.at_level(logging.WARNING, logger="plantrack.core.health"):
        client.get("/healthz", headers={"X-Request-ID": NGINX_ID})

    (record,) = [r for r in caplog.records if "cache" in r.getMessage()]
    assert record.request_id == NGINX_ID
    assert request_id.current() == request_id.NO_REQUEST  # reset after the request


def test_a_task_logs_under_the_id_of_the_request_that_queued_it(caplog):
    caplog.handler.addFilter(request_id.RequestIdLogFilter())

    with caplog.at_level(logging.INFO, logger="plantrack.core.queue"):
        result = queue.run("plantrack.core.request_id.current", [], NGINX_ID)

    assert result == NGINX_ID
    assert caplog.records and all(r.request_id == NGINX_ID for r in caplog.records)
