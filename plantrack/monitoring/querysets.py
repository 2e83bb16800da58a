"""User-scoped querysets of monitoring: reminder logs and urging letters belong to the department in charge."""

from django.db import models

from plantrack.accounts.permissions import coordinated_plans_q


class ReminderLogQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReminderLogQuerySet":
        """Coordinators read the log of the plans their department follows up; nobody else does."""
        return self.filter(coordinated_plans_q(user, via="cycle__plan__"))


class UrgingLetterQuerySet(models.QuerySet):
    def for_user(self, user) -> "UrgingLetterQuerySet":
        """Letters are drafts of the department in charge until they are signed: its coordinators only."""
        return self.filter(coordinated_plans_q(user, via="cycle__plan__"))


class EscalationRecordQuerySet(models.QuerySet):
    def for_user(self, user) -> "EscalationRecordQuerySet":
        """Escalations are the department's documents to the UBND tỉnh: its coordinators only, like letters."""
        return self.filter(coordinated_plans_q(user, via="cycle__plan__"))
