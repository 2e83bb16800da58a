"""Downloading a built consolidated report is an export: it goes in the security log like the evidence and the
Excel downloads, and a refused download leaves no trace of success."""

import pytest
from django.urls import reverse

from plantrack.consolidation import services
from plantrack.consolidation.models import BuildRun, BuildState
from plantrack.security.models import SecurityAction, SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_run(cycle_2025, django_capture_on_commit_callbacks) -> BuildRun:
    with django_capture_on_commit_callbacks(execute=True):
        run = services.build_start(actor=cycle_2025.coordinator, cycle=cycle_2025.cycle)
    run.refresh_from_db()
    assert run.state == BuildState.DONE
    return run


def exports():
    return SecurityEvent.objects.filter(action=SecurityAction.EXPORT)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_download_is_logged_as_an_export(client, cycle_2025, built_run, kind):
    url = reverse("consolidation:run_download", args=[built_run.pk, kind])
    for user in (cycle_2025.coordinator, cycle_2025.viewer):
        client.force_login(user)
        response = client.get(url, HTTP_USER_AGENT="pytest-browser")
        assert response.status_code == 200
        b"".join(response.streaming_content)
        event = exports().get(actor=user)
        assert event.target == str(built_run.report)
        assert event.detail == {"format": kind, "run": built_run.pk}
        assert event.path == url and event.user_agent == "pytest-browser"
    assert exports().count() == 2


@pytest.mark.parametrize("persona", ["reporter", "other_coordinator", "admin"])
def test_refused_download_is_not_logged(client, cycle_2025, built_run, persona):
    client.force_login(getattr(cycle_2025, persona))
    assert client.get(reverse("consolidation:run_download", args=[built_run.pk, "docx"])).status_code == 404
    assert not exports().exists()


def test_unknown_kind_or_unfinished_run_is_404_and_not_logged(client, cycle_2025, built_run):
    client.force_login(cycle_2025.coordinator)
    assert client.get(reverse("consolidation:run_download", args=[built_run.pk, "pdf"])).status_code == 404
    BuildRun.objects.filter(pk=built_run.pk).update(state=BuildState.RUNNING)
    assert client.get(reverse("consolidation:run_download", args=[built_run.pk, "docx"])).status_code == 404
    assert not exports().exists()
