from django.db import models


class RateCounter(models.Model):
    """Requests counted in one fixed time window for one key (``scope:ip:…`` or ``scope:account:…``).

    The count lives in the database so that every server process (gunicorn workers) shares it and
    one ``INSERT … ON CONFLICT … RETURNING`` statement increments it atomically on SQLite and
    PostgreSQL alike. Rows are dropped once their window has passed.
    """

    scope_key = models.CharField(max_length=200)
    bucket = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope_key", "bucket"], name="ops_ratecounter_once")]

    def __str__(self) -> str:
        return f"{self.scope_key}@{self.bucket}: {self.hits}"
