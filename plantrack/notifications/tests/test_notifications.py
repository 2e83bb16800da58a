import pytest
from django.core import mail

from plantrack.notifications.models import Notification
from plantrack.notifications.services import mail_suppressed, notify
from plantrack.reporting.tests.factories import UserFactory


@pytest.fixture
def people(db):
    return (
        UserFactory(username="an"),
        UserFactory(username="binh"),
        UserFactory(username="cuong", is_active=False),
    )


def test_notify_creates_one_row_per_active_recipient_and_mails_on_commit(
    people, django_capture_on_commit_callbacks
):
    an, binh, cuong = people
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notify(recipients=[an, binh, cuong, an], subject="Tiêu đề", body="Nội dung", url="/bao-cao/") == 2
        )
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["an", "binh"]
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]
    assert mail.outbox[0].body.startswith("Nội dung")


def test_mail_can_be_suppressed(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), mail_suppressed():
        notify(recipients=people[:1], subject="x")
    assert Notification.objects.count() == 1 and not mail.outbox


def test_each_user_sees_and_opens_only_their_own(client, people):
    an, binh, _ = people
    notify(recipients=[an], subject="Của An", url="/bao-cao/")
    notify(recipients=[binh], subject="Của Bình")
    client.force_login(an)
    page = client.get("/thong-bao/").content.decode()
    assert "Của An" in page and "Của Bình" not in page
    theirs = Notification.objects.get(recipient=binh)
    assert client.post(f"/thong-bao/{theirs.pk}/").status_code == 404
    mine = Notification.objects.get(recipient=an)
    response = client.post(f"/thong-bao/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/bao-cao/"
    mine.refresh_from_db()
    assert mine.is_read
    client.post("/thong-bao/doc-het/")
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_unread_count_in_the_top_bar(client, people):
    an, _, _ = people
    notify(recipients=[an], subject="Một")
    notify(recipients=[an], subject="Hai")
    client.force_login(an)
    assert client.get("/thong-bao/").context["unread_notifications"] == 2


def test_mail_links_are_absolute_when_the_site_url_is_set(
    people, settings, django_capture_on_commit_callbacks
):
    settings.PLANTRACK_SITE_URL = "https://plantrack.example.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people[:1], subject="Có báo cáo mới", body="Nội dung", url="/bao-cao/7/")
    assert mail.outbox[0].body.endswith("\n\nhttps://plantrack.example.gov.vn/bao-cao/7/")


def test_mail_links_stay_relative_without_a_site_url(people, settings, django_capture_on_commit_callbacks):
    settings.PLANTRACK_SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people[:1], subject="Có báo cáo mới", body="Nội dung", url="/bao-cao/7/")
    assert mail.outbox[0].body.endswith("\n\n/bao-cao/7/")


def test_list_pages_every_notification_instead_of_cutting_at_200(
    client, people, django_assert_max_num_queries
):
    from plantrack.core.lists import PAGE_SIZE

    Notification.objects.bulk_create(
        Notification(recipient=people[0], subject=f"Thông báo {i}") for i in range(4 * PAGE_SIZE + 10)
    )
    client.force_login(people[0])
    last = client.get("/thong-bao/", {"page": 5})
    assert len(last.context["notifications"]) == 10
    assert "Trang 5/5" in last.content.decode()
    with django_assert_max_num_queries(12):
        first = client.get("/thong-bao/")
    assert len(first.context["notifications"]) == PAGE_SIZE
    export = client.get("/thong-bao/", {"xuat": "xlsx"})
    assert export["Content-Disposition"].endswith('.xlsx"')
    import io

    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(export.content)).active.max_row == 4 * PAGE_SIZE + 10 + 1


def test_marking_read_goes_back_to_the_same_page_and_refuses_other_sites(client, people):
    an = people[0]
    notify(recipients=[an], subject="Không có đường dẫn")
    client.force_login(an)
    page = client.get("/thong-bao/", {"page": 2}).content.decode()
    assert 'name="next" value="/thong-bao/?page=2"' in page
    note = Notification.objects.get(recipient=an)
    response = client.post(f"/thong-bao/{note.pk}/", {"next": "/thong-bao/?page=2"})
    assert response["Location"] == "/thong-bao/?page=2"
    response = client.post("/thong-bao/doc-het/", {"next": "/thong-bao/?page=2"})
    assert response["Location"] == "/thong-bao/?page=2"
    for elsewhere in ("https://evil.example/", "//evil.example/thong-bao/"):
        assert client.post("/thong-bao/doc-het/", {"next": elsewhere})["Location"] == "/thong-bao/"
