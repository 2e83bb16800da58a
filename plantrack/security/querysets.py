from django.db import models


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of the security log."""


class SecurityEventQuerySet(models.QuerySet):
    """The security log is append-only: bulk updates and deletes are refused at the ORM level."""

    def update(self, **kwargs):
        raise AppendOnlyError("The security log is append-only.")

    def delete(self):
        raise AppendOnlyError("The security log is append-only.")

    def for_user(self, user):
        """Only administrators read the security log."""
        if user.is_authenticated and user.is_active and getattr(user, "is_administrator", False):
            return self
        return self.none()
