"""A finding's fix as edits of the entry's text, and applying them to the entry's HTML body.

An edit is (old, new, nth): `old` is the changed characters with one character of context on
each side (never across a line), `nth` which occurrence of `old` in the plain text it is. The
body is changed in its text between tags only, so markup and every other character stay as
they are; an edit that no longer matches is refused, never guessed.
"""

import html
import re

_TAG = re.compile(r"(<[^>]+>)")


class FixFailed(Exception):
    """The entry's text no longer reads as it did when the fix was offered."""


def _occurrences(text, old):
    position = text.find(old)
    while position != -1:
        yield position
        position = text.find(old, position + 1)


def edits_for(text, changes):
    """(old, new, nth) for each (start, end, replacement) change of `text`."""
    edits = []
    for start, end, new in changes:
        before = text[start - 1] if start > 0 and text[start - 1] != "\n" else ""
        after = text[end] if end < len(text) and text[end] != "\n" else ""
        old = before + text[start:end] + after
        context_start = start - len(before)
        nth = sum(1 for position in _occurrences(text, old) if position < context_start)
        edits.append((old, before + new + after, nth))
    return tuple(edits)


def apply_fix(body, edits):
    """`body` with `edits` applied in its text; FixFailed when one no longer matches."""
    tokens = _TAG.split(body)
    texts = {index: html.unescape(token) for index, token in enumerate(tokens) if index % 2 == 0}
    where = [(index, offset) for index, token in texts.items() for offset in range(len(token))]
    joined = "".join(texts.values())
    changes = []
    for old, new, nth in edits:
        positions = list(_occurrences(joined, old))
        if nth >= len(positions):
            raise FixFailed(old)
        prefix = len(_common_prefix(old, new))
        suffix = len(_common_prefix(old[prefix:][::-1], new[prefix:][::-1]))
        start, end = positions[nth] + prefix, positions[nth] + len(old) - suffix
        replacement = new[prefix:len(new) - suffix]
        spots = where[start:end] if end > start else [where[start - 1]]
        if len({index for index, _ in spots}) != 1:
            raise FixFailed(old)
        index = spots[0][0]
        local_start = spots[0][1] if end > start else spots[0][1] + 1
        changes.append((start, index, local_start, local_start + (end - start), replacement))
    for _, index, local_start, local_end, replacement in sorted(changes, reverse=True):
        texts[index] = texts[index][:local_start] + replacement + texts[index][local_end:]
        tokens[index] = html.escape(texts[index], quote=False)
    return "".join(tokens)


def _common_prefix(first, second):
    length = 0
    while length < min(len(first), len(second)) and first[length] == second[length]:
        length += 1
    return first[:length]
