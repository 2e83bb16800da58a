"""/healthz: public, answers only ok/fail per check, 503 when the database, the cache or the queue fails."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_q.models import OrmQ

pytestmark = pytest.mark.django_db


def test_a_healthy_node_answers_200_to_anyone(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_task_no_worker_took_for_too_long_fails_the_queue_check(client, settings):
    settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS = 60
    waiting = OrmQ.objects.create(key="plantrack", payload="x", lock=timezone.now())
    assert client.get("/healthz").status_code == 200  # just queued

    OrmQ.objects.filter(pk=waiting.pk).update(lock=timezone.now() - datetime.timedelta(seconds=61))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "queue": "fail"}


def test_a_task_leased_by_a_worker_is_not_waiting(client, settings):
    settings.HEALTHZ_QUEUE_MAX_WAIT_SECONDS = 60
    OrmQ.objects.create(key="plantrack", payload="x", lock=timezone.now() + datetime.timedelta(seconds=100))

    assert client.get("/healthz").status_code == 200


def test_a_failing_cache_answers_503_without_saying_why(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis.internal:6379. Connection refused.")

    monkeypatch.setattr(cache, "set", unreachable)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "fail", "queue": "ok"}
    assert b"redis" not in response.content


def test_a_cache_that_loses_what_it_is_given_fails(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)

    assert client.get("/healthz").json()["cache"] == "fail"
