"""The admin site lists the figures a user may read on the pages (YearlyFigure.objects.for_user): a figure of a
report not yet sent never leaves its agency, not even for a superuser at /quan-tri/."""

import pytest

from plantrack.accounts.tests.factories import UserFactory
from plantrack.indicators.models import YearlyFigure
from plantrack.indicators.services import figure_record
from plantrack.reporting import services as reporting

from .test_views import _submit, report_a  # noqa: F401 (report_a: a fixture)

pytestmark = pytest.mark.django_db
LIST = "/quan-tri/indicators/yearlyfigure/"


def test_a_draft_figure_stays_out_of_the_admin_until_it_is_sent(client, world, report_a):  # noqa: F811
    figure_record(actor=world.reporter_a, indicator=world.share, year=2025, value="41,3", source_note="")
    figure = YearlyFigure.objects.get(report=report_a)
    client.force_login(UserFactory(username="it-admin", role="admin", is_staff=True, is_superuser=True))
    assert f"/yearlyfigure/{figure.pk}/change/" not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{figure.pk}/history/").status_code == 404
    record = figure.history.first()
    assert client.get(f"{LIST}{figure.pk}/history/{record.history_id}/").status_code == 404
    report = _submit(report_a, world.head_a)
    reporting.report_accept(actor=world.coordinator, report=report, version=report.version)
    assert f"/yearlyfigure/{figure.pk}/change/" in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{figure.pk}/history/").status_code == 200
