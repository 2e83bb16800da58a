"""The one roll-up of compound targets (``selectors.scorecard_rows``), used by the scorecard page and the
consolidated report: only measured parts count."""

from plantrack.indicators.selectors import scorecard_rows
from plantrack.indicators.status import Status, Verdict
from plantrack.plans.models import Comparator, Target

YEAR = 2025


class FakeView:
    """Stands for an ``IndicatorView``: the roll-up only asks it for its verdict."""

    def __init__(self, status: Status):
        self.status = status

    def verdict(self, year: int) -> Verdict:
        return Verdict(self.status, year)


def target(pk: int, comparator: str = Comparator.AT_LEAST, parent: int | None = None) -> Target:
    return Target(pk=pk, code=f"T{pk}", text=f"Chỉ tiêu {pk}", comparator=comparator, parent_id=parent)


def test_compound_rolls_up_measured_parts_only():
    targets = [
        target(1, Comparator.COMPOUND),
        target(2, parent=1),
        target(3, Comparator.QUALITATIVE, parent=1),
        target(4, parent=1),  # no indicator declared
        target(5),
    ]
    views = {2: FakeView(Status.ACHIEVED), 5: FakeView(Status.OFF_TRACK)}
    rows = scorecard_rows(targets=targets, views=views, year=YEAR)

    assert [r.target.pk for r in rows] == [1, 5]  # parts only under their compound target
    compound, plain = rows
    assert [p.target.pk for p in compound.parts] == [2, 3, 4]
    assert [p.verdict.status for p in compound.parts] == [Status.ACHIEVED, Status.NO_DATA, Status.NO_DATA]
    # The qualitative part and the undeclared one say nothing: counted, they would keep it from "achieved".
    assert compound.view is None and compound.verdict.status == Status.ACHIEVED
    assert plain.verdict.status == Status.OFF_TRACK and plain.parts == []


def test_compound_takes_the_worst_measured_part():
    targets = [target(1, Comparator.COMPOUND), target(2, parent=1), target(3, parent=1)]
    views = {2: FakeView(Status.ACHIEVED), 3: FakeView(Status.AT_RISK)}
    (compound,) = scorecard_rows(targets=targets, views=views, year=YEAR)
    assert compound.verdict.status == Status.AT_RISK and compound.verdict.year == YEAR
