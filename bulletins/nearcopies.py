"""Near-duplicate entries: character shingles, a one-permutation MinHash, and banded keys.

An entry's text (marks and spaces aside) is cut into 3-character shingles; each shingle's
64-bit hash falls into one of 64 bins and the smallest value per bin is the signature. The
signature is cut into 16 bands of 4 bins and each band hashed to a key stored in `EntryBand`:
two entries whose shingles overlap by 80 % share at least one key with a probability above
99.9 %, while unrelated entries almost never do. Candidates found by key are then compared
exactly (Jaccard similarity of their shingles).
"""

import hashlib
import re

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

SHINGLE = 3
BINS = 64
ROWS = 4  # bins per band: 16 bands
THRESHOLD = 0.8  # Jaccard similarity from which two entries are near-duplicates
MIN_LENGTH = 30  # shorter texts are left to the exact repeat check
_NOT_TEXT = re.compile(r"[\s\W_]+")
_MASK = (1 << 58) - 1


def normalise(text):
    return _NOT_TEXT.sub("", text or "")


def _hash(value):
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def shingles(text):
    text = normalise(text)
    return {text[index:index + SHINGLE] for index in range(len(text) - SHINGLE + 1)}


def similarity(first, second):
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def band_keys(text):
    """The band keys of the text's signature; none for a text too short to compare."""
    if len(normalise(text)) < MIN_LENGTH:
        return []
    signature = [None] * BINS
    for shingle in shingles(text):
        value = _hash(shingle)
        bin_, rest = value >> 58, value & _MASK
        if signature[bin_] is None or rest < signature[bin_]:
            signature[bin_] = rest
    keys = []
    for band in range(0, BINS, ROWS):
        part = f"{band}:" + ",".join(str(value) for value in signature[band:band + ROWS])
        keys.append(_hash(part) >> 1)  # fits a signed 64-bit column
    return keys


def store_bands(entries):
    """Replace the stored band keys of `entries` (after they were saved)."""
    from bulletins.models import EntryBand

    entries = list(entries)
    EntryBand.objects.filter(entry__in=[entry.pk for entry in entries]).delete()
    EntryBand.objects.bulk_create(
        [EntryBand(entry_id=entry.pk, key=key) for entry in entries for key in set(band_keys(entry.plain_text))],
        batch_size=2000,
    )


@receiver(post_save, sender="bulletins.Entry", dispatch_uid="near-copy-bands")
def keep_bands(sender, instance, raw=False, **kwargs):
    if not raw:
        with transaction.atomic():
            store_bands([instance])
