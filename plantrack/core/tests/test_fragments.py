"""``{% memo %}`` (core.templatetags.fragments): the main menu is rendered once per process for each language and
each set of rights, and never shows one user the menu of another."""

import pytest
from django.conf import settings
from django.template import Context, Template

from plantrack.core.templatetags.fragments import memo_clear
from plantrack.security.tests.conftest import fast_password_hasher, people  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.django_db

MONITORING = "Theo dõi, đôn đốc"
ACCOUNTS = "Quản lý tài khoản"


@pytest.fixture(autouse=True)
def _fresh():
    memo_clear()
    yield
    memo_clear()


def _menu(client, user, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/thong-bao/").content.decode()
    return html[html.index('class="mainnav"') : html.index("</nav>")]


def test_each_set_of_rights_gets_its_own_menu(client, people):  # noqa: F811
    for _ in range(2):  # the second round is served from the fragments kept
        coordinator = _menu(client, people.coordinator)
        reporter = _menu(client, people.reporter_a)
        admin = _menu(client, people.admin)
        assert MONITORING in coordinator and ACCOUNTS not in coordinator
        assert MONITORING not in reporter and ACCOUNTS not in reporter
        assert ACCOUNTS in admin


def test_each_language_gets_its_own_menu(client, people):  # noqa: F811
    assert "Trang chủ" in _menu(client, people.reporter_a)
    english = _menu(client, people.reporter_a, language="en")
    assert "Home" in english and "Trang chủ" not in english
    assert "Trang chủ" in _menu(client, people.reporter_a, language="vi")


def test_the_count_beside_the_bell_is_not_kept(client, people):  # noqa: F811
    from plantrack.notifications.services import notify

    assert "nav-count" not in _menu(client, people.reporter_a)
    notify(recipients=[people.reporter_a], subject="Một")
    assert 'nav-count" aria-label="chưa đọc">1<' in _menu(client, people.reporter_a)


def test_a_fragment_is_kept_per_flags_and_not_under_debug(settings):
    template = Template('{% load fragments %}{% memo "t" flag %}{{ text }}{% endmemo %}')
    assert template.render(Context({"flag": True, "text": "một"})) == "một"
    assert (
        template.render(Context({"flag": True, "text": "hai"})) == "một"
    )  # kept: same name, language, flags
    assert template.render(Context({"flag": False, "text": "ba"})) == "ba"
    settings.DEBUG = True
    assert template.render(Context({"flag": True, "text": "bốn"})) == "bốn"
