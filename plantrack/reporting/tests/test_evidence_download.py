"""Evidence download: the page and the API go through one function, and both leave an export in the security log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plantrack.reporting.services import (
    WorkflowWrongState,
    evidence_add_file,
    evidence_add_link,
    evidence_open,
)
from plantrack.security.models import SecurityAction, SecurityEvent

from . import samples


@pytest.fixture
def evidence(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    return evidence_add_file(
        actor=world.reporter_a, report=report, upload=SimpleUploadedFile("a.pdf", samples.pdf())
    )


def _exports(user, evidence):
    return SecurityEvent.objects.filter(
        action=SecurityAction.EXPORT, actor=user, detail__evidence=evidence.pk
    ).count()


@pytest.mark.parametrize("path", ["/bao-cao/minh-chung/{pk}/", "/api/v1/evidence/{pk}/download/"])
def test_download_is_logged_as_an_export(client, world, evidence, path):
    client.force_login(world.reporter_a)
    response = client.get(path.format(pk=evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()
    event = SecurityEvent.objects.get(action=SecurityAction.EXPORT, actor=world.reporter_a)
    assert event.detail == {"evidence": evidence.pk}
    assert event.path == path.format(pk=evidence.pk)


def test_a_refused_download_is_not_logged_as_an_export(client, world, evidence):
    client.force_login(world.reporter_b)
    assert client.get(f"/api/v1/evidence/{evidence.pk}/download/").status_code == 404
    assert _exports(world.reporter_b, evidence) == 0


def test_a_link_has_no_file_to_open(world, cycle):
    link = evidence_add_link(
        actor=world.reporter_a, report=world.report(cycle, world.a), url="https://dongnai.gov.vn/van-ban/1"
    )
    with pytest.raises(WorkflowWrongState):
        evidence_open(actor=world.reporter_a, evidence=link)
    assert _exports(world.reporter_a, link) == 0


@pytest.mark.parametrize("path", ["/bao-cao/minh-chung/{pk}/", "/api/v1/evidence/{pk}/download/"])
def test_download_name_follows_the_detected_type(client, world, cycle, settings, tmp_path, path):
    """A PDF uploaded as ``x.html`` downloads as ``x.pdf`` (issue 16, row 17), from the page and the API alike."""
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    evidence = evidence_add_file(
        actor=world.reporter_a, report=report, upload=SimpleUploadedFile("x.html", samples.pdf())
    )
    client.force_login(world.reporter_a)
    response = client.get(path.format(pk=evidence.pk))
    assert response.status_code == 200
    assert 'filename="x.pdf"' in response["Content-Disposition"]
    assert ".html" not in response["Content-Disposition"]
