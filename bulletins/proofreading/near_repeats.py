"""Entries nearly the same as an entry of an earlier published issue (one number changed, …).

Candidates come from the stored band keys (bulletins/nearcopies.py) in one indexed query; each
is then compared exactly. Exact repeats are left to `content.check_repeats`, so one copy gives
one finding.
"""

from django.db.models import Q

from bulletins.models import Entry, Issue
from bulletins.nearcopies import MIN_SHARED_BANDS, THRESHOLD, band_keys, shingles, similarity

from .content import normalise as normalise_repeat
from .context import stored_matches
from .findings import WARNING, Finding


def _earlier_published(issue):
    return Issue.objects.published().filter(
        Q(year__lt=issue.year) | Q(year=issue.year, number__lt=issue.number)
    ).exclude(pk=issue.pk)


def check_near_repeats(context):
    stored = stored_matches(context)
    shared = {}  # own entry pk -> {earlier entry id: number of band keys shared}
    for checked in context.entries:
        counts = shared.setdefault(checked.entry.pk, {})
        for key in set(band_keys(checked.text)):
            for entry_id in stored.get(key, ()):
                counts[entry_id] = counts.get(entry_id, 0) + 1
    candidates = {entry_id for counts in shared.values() for entry_id, n in counts.items() if n >= MIN_SHARED_BANDS}
    if not candidates:
        return
    earlier = {
        row[0]: row for row in Entry.objects.filter(pk__in=candidates, issue__in=_earlier_published(context.issue))
        .values_list("pk", "plain_text", "section__name", "issue__year", "issue__number")
    }
    for checked in context.entries:
        mine, own = shingles(checked.text), normalise_repeat(checked.text)
        best, best_score = None, THRESHOLD
        for entry_id, n in shared[checked.entry.pk].items():
            if n < MIN_SHARED_BANDS or entry_id not in earlier:
                continue
            other = earlier[entry_id]
            if normalise_repeat(other[1]) == own:
                best = None
                break  # an exact repeat: content.check_repeats reports it
            score = similarity(mine, shingles(other[1]))
            if score >= best_score:
                best, best_score = other, score
        if best is not None:
            _, text, section, year, number = best
            yield Finding(
                severity=WARNING, code="near_repeat", entry=checked.entry, where=checked.where, text=_excerpt(text),
                message=f"与{year}年第{number}期“{section}”栏目的条目几乎相同（相似度{best_score:.0%}），是否照抄旧稿？",
                suggestion="核对并改写该条目",
            )


def _excerpt(text):
    return text if len(text) <= 40 else text[:40] + "…"
