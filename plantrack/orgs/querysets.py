import datetime

from django.db import models

from plantrack.core.text import fold


class AgencyQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "AgencyQuerySet":
        """Agencies that existed on ``day`` (validity dates are inclusive)."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def search(self, query: str) -> "AgencyQuerySet":
        """Diacritic- and case-insensitive match on names, abbreviations and aliases."""
        needle = fold(query)
        if not needle:
            return self.none()
        return self.filter(search_text__contains=needle)


class GroupMembershipQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "GroupMembershipQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )
