"""Deny by default: every page needs login; the login page and the language switch do not; error pages are in
Vietnamese and show no internals; the admin is at /quan-tri/ for administrators only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plantrack.core.tests import pages_fixtures

pytestmark = pytest.mark.django_db
default_data = pages_fixtures.default_data
personas = pages_fixtures.personas


def _page_urls(plan) -> list[str]:
    from plantrack.orgs.models import Agency

    agency = Agency.objects.get(name="Sở Tài chính")
    return [
        reverse("home"),
        reverse("search") + "?q=so",
        reverse("orgs:list"),
        reverse("orgs:detail", args=[agency.pk]),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:matrix", args=[plan.pk]),
    ]


def test_every_page_redirects_anonymous_to_login(client, default_data):
    for url in _page_urls(default_data):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_login_page_is_open_and_in_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng nhập" in html and "Mật khẩu" in html
    assert 'lang="vi"' in html


def test_language_switch_works_before_login(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    html = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in html
    assert "Sign in" in html and "Password" in html
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert "Mật khẩu" in client.get(reverse("login")).content.decode()


def test_browser_language_is_ignored_vietnamese_first(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in html and "Mật khẩu" in html


def test_english_pages_use_english_number_format(client, personas, default_data):
    client.force_login(personas["viewer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("plans:detail", args=[default_data.pk])).content.decode()
    assert "62.8" in html and "targets" in html


def test_404_page_is_vietnamese_without_internals(client, personas, settings):
    settings.DEBUG = False
    client.force_login(personas["reporter"])
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_404_for_anonymous_unknown_url_does_not_leak(client, db, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code in (302, 404)
    assert "urlpatterns" not in response.content.decode()


def test_error_templates_exist_in_vietnamese():
    from django.template.loader import get_template

    assert "Không có quyền" in get_template("403.html").template.source
    assert "Không tìm thấy" in get_template("404.html").template.source
    assert "lỗi" in get_template("500.html").template.source.lower()


def test_admin_is_mounted_at_quan_tri_for_administrators_only(client, personas):
    assert reverse("admin:index") == "/quan-tri/"
    client.force_login(personas["reporter"])
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_admin_pages_render_for_every_model_of_orgs_plans_accounts(client, personas):
    client.force_login(personas["admin"])
    checked = 0
    for model in list(admin.site._registry):
        if model._meta.app_label not in ("orgs", "plans", "accounts"):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"{name}_changelist"), {"q": "khoa"}).status_code == 200, name
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name
        checked += 1
    registered = {m.__name__ for m in admin.site._registry if m._meta.app_label in ("orgs", "plans")}
    assert {
        "Agency",
        "AgencyAlias",
        "AgencyGroup",
        "GroupMembership",
        "Succession",
        "Plan",
        "OutlineNode",
        "Target",
        "TaskGroup",
        "Task",
        "Assignment",
        "PlanDuty",
    } <= registered
    assert checked >= 13
