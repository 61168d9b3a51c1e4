"""Tables whose rows are never changed or deleted through the ORM (the audit log, signed snapshots)."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Every ORM path that changes or deletes rows raises `refusal` (set by each subclass).

    The database refuses too (PostgreSQL triggers in the migrations); this is the same rule for
    code, so a mistake fails loudly in tests on SQLite as well.
    """

    refusal = Exception

    def _refuse(self, *args, **kwargs):
        raise self.refusal()

    update = delete = update_or_create = bulk_update = _update = _raw_delete = _refuse
