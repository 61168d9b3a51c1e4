"""Empty sections and entries, entries repeated from earlier issues, images without alt text."""

import re

from bs4 import BeautifulSoup
from django.db.models import Q

from bulletins.models import Entry
from bulletins.nearcopies import exact_key

from .context import stored_matches
from .findings import WARNING, Finding

_SPACE = re.compile(r"\s+")
EXCERPT = 40
_PUNCTUATION = str.maketrans(",.;:?!()", "，。；：？！（）")
MIN_REPEAT_LENGTH = 10


def normalise(text):
    return _SPACE.sub("", text or "").translate(_PUNCTUATION)


def _excerpt(text):
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def _is_empty(entry):
    return not entry.plain_text.strip() and "<img" not in entry.body


def check_empty(context):
    if not context.entries:
        yield Finding(severity=WARNING, code="empty", message="本期还没有条目。", suggestion="添加条目")
        return
    by_section = {}
    for checked in context.entries:
        by_section.setdefault(checked.entry.section, []).append(checked)
    for section, entries in by_section.items():
        empty = [checked for checked in entries if _is_empty(checked.entry)]
        if empty and len(empty) == len(entries):
            yield Finding(
                severity=WARNING, code="empty", entry=empty[0].entry, where=section.name,
                message=f"栏目“{section.name}”没有正文。", suggestion="补写正文或删除该栏目的条目",
            )
            continue
        for checked in empty:
            yield Finding(
                severity=WARNING, code="empty", entry=checked.entry, where=checked.where,
                message="条目没有正文。", suggestion="补写正文或删除该条目",
            )


def check_repeats(context):
    """An entry whose text (whitespace aside) is already in this issue or an earlier one."""
    issue = context.issue
    seen = {}
    for checked in context.entries:
        key = normalise(checked.text)
        if len(key) < MIN_REPEAT_LENGTH:
            continue
        if key in seen:
            yield Finding(
                severity=WARNING, code="repeat", entry=checked.entry, where=checked.where,
                text=_excerpt(checked.text), message=f"与本期{seen[key]}重复。", suggestion="删除重复的条目",
            )
        else:
            seen[key] = checked.where
    # Earlier issues: by the stored exact key of each entry's text (bulletins/nearcopies.py), an indexed lookup.
    stored = stored_matches(context)
    ids = {entry_id for checked in context.entries for entry_id in stored.get(exact_key(checked.text), ())}
    if not ids:
        return
    earlier = (
        Entry.objects.filter(pk__in=ids)
        .filter(Q(issue__year__lt=issue.year) | Q(issue__year=issue.year, issue__number__lt=issue.number))
        .select_related("issue")
        .only("plain_text", "issue__year", "issue__number", "issue__title")
        .order_by("-issue__year", "-issue__number")
    )
    earlier_by_text = {}
    for entry in earlier:
        earlier_by_text.setdefault(normalise(entry.plain_text), entry.issue)
    for checked in context.entries:
        earlier_issue = earlier_by_text.get(normalise(checked.text))
        if earlier_issue is not None:
            yield Finding(
                severity=WARNING, code="repeat", entry=checked.entry, where=checked.where, text=_excerpt(checked.text),
                message=f"与{earlier_issue.year}年第{earlier_issue.number}期的条目重复。", suggestion="删除或改写该条目",
            )


def check_image_alt(context):
    for checked in context.entries:
        if "<img" not in checked.entry.body:
            continue
        for image in BeautifulSoup(checked.entry.body, "html.parser").find_all("img"):
            if not (image.get("alt") or "").strip():
                yield Finding(
                    severity=WARNING, code="image_alt", entry=checked.entry, where=checked.where,
                    text=image.get("src", ""), message="图片没有替代文字（alt），读屏软件无法读出。",
                    suggestion="为图片填写说明文字",
                )
