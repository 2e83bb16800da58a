from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CacheVersion(models.Model):
    """A token per cached thing ("cycle:12", "plan:3", "orgs"), replaced in the same transaction as any change the
    cached thing shows (``plantrack.core.versions``). A cache key carries the tokens it was built on, so a change
    makes every older entry unreachable the moment it commits, on every app node."""

    key = models.CharField(max_length=100, primary_key=True)
    token = models.CharField(max_length=32)
    # What comes before the key's first colon, and a random number drawn at each bump: a whole scope's token is
    # the count and sum of its rows' numbers (``core.versions.tokens``), read from the index below alone.
    scope = models.CharField(max_length=40, default="")
    nonce = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["scope", "nonce"], name="core_cacheversion_scope")]

    def __str__(self) -> str:
        return f"{self.key}={self.token}"
