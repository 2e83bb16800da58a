from django.db import models

from plantrack.accounts.permissions import is_administrator, is_coordinator


class PlanImportDraftQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanImportDraftQuerySet":
        """Administrators see every import draft; a coordinator sees the drafts they uploaded; others none."""
        if not user.is_authenticated:
            return self.none()
        if is_administrator(user):
            return self
        if is_coordinator(user):  # any coordinator role, primary or extra
            return self.filter(created_by=user)
        return self.none()
