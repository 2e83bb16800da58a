from django.db import models


class PlanImportDraftQuerySet(models.QuerySet):
    def for_user(self, user) -> "PlanImportDraftQuerySet":
        """Administrators see every import draft; a coordinator sees the drafts they uploaded; others none."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_administrator", False):
            return self
        if getattr(user, "is_coordinator", False):
            return self.filter(created_by=user)
        return self.none()
