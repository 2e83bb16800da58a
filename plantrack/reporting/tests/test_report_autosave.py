"""Never lose typing: the autosave endpoint, the posted form kept through an expired session, "Lưu và gửi" and
"Lưu và trình lãnh đạo" on the edit form, the keep-alive."""

import pytest
from django.urls import reverse

from plantrack.notifications.models import Notification
from plantrack.reporting.models import AgencyReport, ReportState
from plantrack.reporting.services import report_save_draft
from plantrack.security.sessions import SESSION_SEEN_KEY

from .conftest import fill


def _form(report: AgencyReport, **sections) -> dict:
    data = {"version": report.version, "data_as_of": "", **dict.fromkeys(AgencyReport.SECTION_FIELDS, "")}
    for e in report.entries.all():
        data.update({f"e{e.pk}-status": e.status, f"e{e.pk}-results": e.results, f"e{e.pk}-difficulties": ""})
    data.update(sections)
    return data


def _autosave(client, report, data):
    return client.post(reverse("reporting:report_autosave", args=[report.pk]), data)


def test_autosave_saves_through_the_service_and_returns_the_new_version(client, world, cycle):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    response = _autosave(client, report, _form(report, main_results="Đang gõ dở"))
    assert response.status_code == 200
    report.refresh_from_db()
    assert response.json()["version"] == report.version == 2
    assert report.main_results == "Đang gõ dở" and report.last_saved_by == world.reporter_a
    assert report.history.latest().history_change_reason == "Tự động lưu"


def test_autosave_never_overwrites_someone_elses_save(client, world, cycle):
    report = world.report(cycle, world.a)
    seen = _form(report, main_results="Bản của chuyên viên")
    report_save_draft(
        actor=world.head_a, report=report, version=1, sections={"main_results": "Bản của lãnh đạo"}
    )
    client.force_login(world.reporter_a)
    response = _autosave(client, report, seen)
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] and body["current_version"] == 2 and "vừa được" in body["message"]
    report.refresh_from_db()
    assert report.main_results == "Bản của lãnh đạo"


@pytest.mark.parametrize("persona", ["reporter_b", "coordinator", "viewer"])
def test_autosave_of_another_agencys_draft_is_not_found(client, world, cycle, persona):
    report = world.report(cycle, world.a)
    client.force_login(getattr(world, persona))
    assert _autosave(client, report, _form(report, proposals="x")).status_code == 404
    report.refresh_from_db()
    assert report.proposals == "" and report.version == 1


def test_autosave_signed_out_answers_401_and_keeps_the_text_for_after_login(client, world, cycle):
    report = world.report(cycle, world.a)
    response = _autosave(client, report, _form(report, main_results="Gõ khi đã hết phiên"))
    assert response.status_code == 401 and response.json()["signed_out"]
    client.force_login(world.reporter_a)
    page = client.get(reverse("reporting:report_edit", args=[report.pk]))
    assert "Gõ khi đã hết phiên" in page.content.decode()
    assert (
        AgencyReport.objects.get(pk=report.pk).main_results == ""
    )  # given back, not saved behind the user's back


def test_save_after_the_session_expired_gives_the_text_back_after_login(client, world, cycle, settings):
    report = world.report(cycle, world.a)
    client.force_login(world.reporter_a)
    session = client.session
    session[SESSION_SEEN_KEY] = session[SESSION_SEEN_KEY] - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    url = reverse("reporting:report_edit", args=[report.pk])
    response = client.post(url, _form(report, main_results="Một giờ gõ báo cáo"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert AgencyReport.objects.get(pk=report.pk).main_results == ""
    login_page = client.get(response["Location"])
    assert "nội dung bạn vừa gửi chưa được lưu" in login_page.content.decode()
    client.force_login(world.reporter_a)  # force_login keeps the session's data, as the login form does
    page = client.get(url).content.decode()
    assert "Một giờ gõ báo cáo" in page and "CHƯA được lưu" in page
    assert "Một giờ gõ báo cáo" not in client.get(url).content.decode()  # given back once


def test_text_kept_from_a_signed_out_post_is_not_shown_to_another_agency(client, world, cycle):
    report = world.report(cycle, world.a)
    url = reverse("reporting:report_edit", args=[report.pk])
    client.post(url, _form(report, main_results="Bí mật của Sở A"))
    client.force_login(world.reporter_b)
    assert client.get(url).status_code == 404


def test_save_and_send_keeps_the_typed_edits_in_what_is_sent(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.head_a)
    data = _form(report, main_results="Sửa phút chót", next="send")
    response = client.post(reverse("reporting:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.submissions.get().snapshot["sections"]["main_results"] == "Sửa phút chót"


def test_save_and_send_of_an_incomplete_report_keeps_the_save_and_links_the_empty_fields(
    client, world, cycle
):
    report = world.report(cycle, world.a)
    client.force_login(world.head_a)
    url = reverse("reporting:report_edit", args=[report.pk])
    response = client.post(url, _form(report, main_results="Đã gõ", next="send"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.main_results == "Đã gõ"
    page = client.get(url).content.decode()
    assert "Đã lưu nhưng chưa gửi được" in page
    entry = report.entries.get(task=world.t1)
    assert f'href="#id_e{entry.pk}-status"' in page and "III.1.a" in page


def test_save_and_hand_over_notifies_the_head(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    Notification.objects.all().delete()
    client.force_login(world.reporter_a)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        _form(report, next_year="Đề xuất", next="hand_over"),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.WITH_HEAD and report.next_year == "Đề xuất"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["head_a"]
    # The reporter can no longer edit; the head's home lists it as awaiting their decision.
    assert client.get(reverse("reporting:report_edit", args=[report.pk])).status_code == 302
    client.force_login(world.head_a)
    home = client.get(reverse("home")).content.decode()
    assert "Chờ lãnh đạo duyệt" in home and reverse("reporting:report_detail", args=[report.pk]) in home


def test_head_hands_back_from_the_report_page(client, world, cycle):
    report = fill(world.report(cycle, world.a), world.reporter_a)
    client.force_login(world.reporter_a)
    client.post(reverse("reporting:report_hand_over", args=[report.pk]), {"version": report.version})
    report.refresh_from_db()
    client.force_login(world.head_a)
    detail = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Trả lại chuyên viên" in detail
    client.post(
        reverse("reporting:report_hand_back", args=[report.pk]),
        {"version": report.version, "comment": "Bổ sung số liệu"},
    )
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert Notification.objects.filter(recipient=world.reporter_a, body__contains="Bổ sung số liệu").exists()


def test_keepalive_counts_as_activity(client, world, settings):
    client.force_login(world.reporter_a)
    session = client.session
    session[SESSION_SEEN_KEY] = session[SESSION_SEEN_KEY] - settings.SESSION_IDLE_TIMEOUT + 100
    session.save()
    response = client.post(reverse("accounts:session_keepalive"))
    assert response.json()["remaining"] == settings.SESSION_IDLE_TIMEOUT
    client.logout()
    assert client.post(reverse("accounts:session_keepalive")).status_code == 401


def test_signed_in_pages_carry_the_idle_warning(client, world):
    client.force_login(world.reporter_a)
    page = client.get(reverse("home")).content.decode()
    assert 'id="session-watch"' in page and "Tiếp tục làm việc" in page and "plantrack/session.js" in page
