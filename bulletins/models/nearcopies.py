from django.db import models

from .issues import Entry


class EntryBand(models.Model):
    """One band of an entry's MinHash signature (bulletins/nearcopies.py): entries that share a
    band key are candidates for near-duplicates, found by index instead of reading every entry.

    Kept up to date by the signal handler in bulletins/nearcopies.py; rebuilt in bulk by
    `manage.py rebuild_near_copy_index`.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="bands", verbose_name="条目")
    key = models.BigIntegerField("签名段", db_index=True)

    class Meta:
        verbose_name = "条目签名段"
        verbose_name_plural = "条目签名段"
