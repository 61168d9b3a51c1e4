"""Entries nearly the same as an entry of an earlier published issue (one number changed, …).

Candidates come from the stored band keys (bulletins/nearcopies.py) in one indexed query; each
is then compared exactly. Exact repeats are left to `content.check_repeats`, so one copy gives
one finding.
"""

from django.db.models import Q

from bulletins.models import Entry, Issue
from bulletins.nearcopies import THRESHOLD, band_keys, normalise, shingles, similarity

from .content import normalise as normalise_repeat
from .context import stored_matches
from .findings import WARNING, Finding


def _earlier_published(issue):
    return Issue.objects.published().filter(
        Q(year__lt=issue.year) | Q(year=issue.year, number__lt=issue.number)
    ).exclude(pk=issue.pk)


def check_near_repeats(context):
    stored = stored_matches(context)
    keys = {checked.entry.pk: set(band_keys(checked.text)) for checked in context.entries}
    candidates = {entry_id for own in keys.values() for key in own for entry_id in stored.get(key, ())}
    if not candidates:
        return
    earlier = {
        entry.pk: entry for entry in Entry.objects.filter(pk__in=candidates, issue__in=_earlier_published(context.issue))
        .select_related("issue", "section").only("plain_text", "order", "section__name", "issue__year",
                                                 "issue__number", "issue__title")
    }
    for checked in context.entries:
        mine = shingles(checked.text)
        ids = {entry_id for key in keys[checked.entry.pk] for entry_id in stored.get(key, ()) if entry_id in earlier}
        best, best_score = None, THRESHOLD
        for entry_id in ids:
            other = earlier[entry_id]
            if normalise_repeat(other.plain_text) == normalise_repeat(checked.text):
                best = None
                break  # an exact repeat: content.check_repeats reports it
            score = similarity(mine, shingles(other.plain_text))
            if score >= best_score and normalise(other.plain_text) != normalise(checked.text):
                best, best_score = other, score
        if best is not None:
            yield Finding(
                severity=WARNING, code="near_repeat", entry=checked.entry, where=checked.where,
                text=_excerpt(best.plain_text),
                message=(
                    f"与{best.issue.year}年第{best.issue.number}期“{best.section.name}”栏目的条目"
                    f"几乎相同（相似度{best_score:.0%}），是否照抄旧稿？"
                ),
                suggestion="核对并改写该条目",
            )


def _excerpt(text):
    return text if len(text) <= 40 else text[:40] + "…"
