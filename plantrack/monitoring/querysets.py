"""User-scoped querysets of monitoring: reminder logs and urging letters belong to the department in charge."""

from django.db import models


def _coordinator_agency_id(user) -> int | None:
    if not user.is_authenticated or not user.is_active or getattr(user, "role", "") != "coordinator":
        return None
    return user.agency_id


class ReminderLogQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReminderLogQuerySet":
        """Coordinators read the log of the plans their department follows up; nobody else does."""
        agency_id = _coordinator_agency_id(user)
        if agency_id is None:
            return self.none()
        return self.filter(cycle__plan__coordinator_agency_id=agency_id)


class UrgingLetterQuerySet(models.QuerySet):
    def for_user(self, user) -> "UrgingLetterQuerySet":
        """Letters are drafts of the department in charge until they are signed: its coordinators only."""
        agency_id = _coordinator_agency_id(user)
        if agency_id is None:
            return self.none()
        return self.filter(cycle__plan__coordinator_agency_id=agency_id)
