"""Demo figures: loaded by load_default for plan 386, idempotent, labelled, removable."""

from django.core.management import call_command

from plantrack.indicators.demo import demo_figures_load, demo_figures_remove
from plantrack.indicators.models import IndicatorDefinition, YearlyFigure
from plantrack.indicators.selectors import plan_scorecard
from plantrack.indicators.status import Status


def test_plan_386_has_a_definition_behind_every_measured_target(plan_386):
    measured = plan_386.targets.exclude(comparator__in=["compound", "qualitative"])
    assert measured.count() == 11
    assert IndicatorDefinition.objects.filter(target__in=measured).count() == 11
    computed = {d.target.code: d.formula for d in IndicatorDefinition.objects.filter(kind="computed")}
    assert computed == {
        "II.2.4": "nhan_luc_rd / dan_so * 10000",
        "II.2.5": "(so_don / prev(so_don) - 1) * 100",
        "II.2.6": "chi_khcn / tong_chi * 100",
        "II.2.7": "nv_ung_dung / nv_nghiem_thu * 100",
    }
    providers = {
        d.target.code: d.provider.name for d in IndicatorDefinition.objects.select_related("provider")
    }
    assert providers["II.2.6"] == "Sở Tài chính"
    assert providers["II.2.5"] == "Sở Khoa học và Công nghệ"
    assert providers["II.2.1"] == "Cục Thống kê tỉnh Đồng Nai"
    assert not YearlyFigure.objects.exists()  # --no-demo: no demo figures


def test_demo_figures_load_once_and_remove(plan_386, django_user_model):
    created = demo_figures_load(plan=plan_386)
    assert created == YearlyFigure.objects.filter(is_demo=True).count() > 50
    assert demo_figures_load(plan=plan_386) == 0
    assert all("demo" in f.source_note for f in YearlyFigure.objects.all())
    viewer = django_user_model.objects.create(username="xem", role="viewer")
    rows = {r.target.code: r for r in plan_scorecard(plan=plan_386, user=viewer, year=2025)}
    # The demo series gives every status but "no data" on a measured, non-compound target.
    assert {r.verdict.status for r in rows.values()} >= {
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.AT_RISK,
        Status.OFF_TRACK,
    }
    assert rows["II.2.8"].verdict.value == 6
    assert demo_figures_remove() == created
    assert not YearlyFigure.objects.exists()


def test_indicators_demo_command(plan_386, capsys):
    call_command("indicators_demo")
    assert YearlyFigure.objects.filter(is_demo=True).exists()
    call_command("indicators_demo", "--remove")
    assert not YearlyFigure.objects.exists()
