"""The reminder schedule as pure date arithmetic (no database): which steps a cycle has, and which one is due.

A step is an offset in days from the due date: -30, -7 and -1 are reminders before it, +1 the first urging after
it, then +8, +15 … every ``repeat_every`` days. On a given day the *current* step is the latest one whose date has
come; it is sent if it is still fresh (see ``current_step``). Missed older steps are not sent late: an agency gets
the latest message that fits the day, never a backlog.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_DAYS_BEFORE = (30, 7, 1)
DEFAULT_DAYS_AFTER = (1,)
DEFAULT_REPEAT_EVERY = 7
# A step is not sent more than this many days after its date (a job that did not run for a while does not send
# stale "7 days left" messages); a step before the due date is never sent after it.
CATCH_UP_DAYS = 6
MAX_OFFSET = 366


class Phase:
    BEFORE = "before"
    AFTER = "after"


@dataclass(frozen=True, order=True)
class Step:
    offset: int
    day: datetime.date
    repeat: int = 0  # 0 for a listed step, n for the n-th weekly repeat

    @property
    def phase(self) -> str:
        return Phase.BEFORE if self.offset <= 0 else Phase.AFTER

    @property
    def key(self) -> str:
        return "D" if self.offset == 0 else f"D{self.offset:+d}"

    @property
    def label(self) -> str:
        if self.offset < 0:
            return ngettext("%(n)s ngày trước hạn", "%(n)s ngày trước hạn", -self.offset) % {
                "n": -self.offset
            }
        if self.offset == 0:
            return _("ngày đến hạn")
        text = ngettext("%(n)s ngày sau hạn", "%(n)s ngày sau hạn", self.offset) % {"n": self.offset}
        if self.repeat:
            text += _(" (đôn đốc lần %(n)s)") % {"n": self.repeat + 1}
        return text

    @property
    def grade(self) -> int:
        """How firm the message is: 0 before the due date, 1 at the first urging, 2 from the first repeat on."""
        if self.phase == Phase.BEFORE:
            return 0
        return 1 if self.repeat == 0 else 2


@dataclass(frozen=True)
class ScheduleRule:
    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    days_after: tuple[int, ...] = DEFAULT_DAYS_AFTER
    repeat_every: int = DEFAULT_REPEAT_EVERY
    repeat_limit: int = 0  # 0: until the cycle closes
    active: bool = True

    def offsets(self) -> list[int]:
        """The listed offsets, sorted, without duplicates: before-days as negatives (0 is the due date itself)."""
        return sorted({-int(d) for d in self.days_before} | {int(d) for d in self.days_after if int(d) > 0})

    def steps(self, *, due_date: datetime.date, until: datetime.date) -> Iterator[Step]:
        """Every step whose date is on or before ``until``, in date order, then the first one after it (so a page
        can show the next step). Weekly repeats follow the last listed step after the due date (or the due date
        itself when there is none)."""
        listed = self.offsets()
        for offset in listed:
            step = Step(offset, due_date + datetime.timedelta(days=offset))
            yield step
            if step.day > until:
                return
        if not self.repeat_every:
            return
        last_after = max([o for o in listed if o > 0], default=0)
        n = 1
        while not self.repeat_limit or n <= self.repeat_limit:
            offset = last_after + n * self.repeat_every
            if offset > MAX_OFFSET:
                return
            step = Step(offset, due_date + datetime.timedelta(days=offset), repeat=n)
            yield step
            if step.day > until:
                return
            n += 1

    def current_step(self, *, due_date: datetime.date, today: datetime.date) -> Step | None:
        """The step to send on ``today``, if any: the latest step whose date has come, unless it is a reminder
        before the due date and the due date has passed, or it is more than ``CATCH_UP_DAYS`` old."""
        if not self.active:
            return None
        current = None
        for step in self.steps(due_date=due_date, until=today):
            if step.day <= today:
                current = step
        if current is None:
            return None
        if current.phase == Phase.BEFORE and today > due_date:
            return None
        if (today - current.day).days > CATCH_UP_DAYS:
            return None
        return current

    def next_step(self, *, due_date: datetime.date, today: datetime.date) -> Step | None:
        """The first step strictly after ``today`` (None when the schedule has run out or is paused)."""
        if not self.active:
            return None
        for step in self.steps(due_date=due_date, until=today):
            if step.day > today:
                return step
        return None

    def describe(self) -> str:
        parts = []
        before = sorted({int(d) for d in self.days_before}, reverse=True)
        if before:
            parts.append(_("trước hạn %(days)s ngày") % {"days": ", ".join(str(d) for d in before)})
        after = sorted({int(d) for d in self.days_after if int(d) > 0})
        if after:
            parts.append(_("sau hạn %(days)s ngày") % {"days": ", ".join(str(d) for d in after)})
        if self.repeat_every:
            text = _("sau đó mỗi %(n)s ngày") % {"n": self.repeat_every}
            if self.repeat_limit:
                text += _(" (tối đa %(n)s lần)") % {"n": self.repeat_limit}
            parts.append(text)
        if not self.active:
            parts.append(_("đang tạm dừng"))
        return "; ".join(parts)


DEFAULT_RULE = ScheduleRule()
