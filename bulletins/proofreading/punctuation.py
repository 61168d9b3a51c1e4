"""Punctuation (标点) as GB/T 15834 asks of Chinese text: full-width marks, in pairs, never doubled.

Three kinds, each a warning with a fix an editor applies with one click (see `fixes`):
half-width marks inside Chinese text (`,` → `，`, `(…)` → `（…）`, `"…"` → `“…”`), a mark
written twice (`，，` → `，`), and quotes, brackets and 书名号 that are not in pairs (the fix is
given only where it is certain: `“…“` → `“…”`).
"""

import re
from dataclasses import dataclass

from .findings import WARNING, Finding
from .fixes import edits_for

CJK = re.compile(r"[\u4e00-\u9fff]")
FULL_WIDTH_MARKS = "，。；：！？、“”‘’（）《》【】…—"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。", "(": "（", ")": "）"}
_REPEATABLE = "，。；：、！？,;:!?"
_REPEAT = re.compile(rf"([{re.escape(_REPEATABLE)}])[{re.escape(_REPEATABLE)}]+")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "(": ")"}
_CLOSERS = {closer: opener for opener, closer in _PAIRS.items()}
_QUOTE = re.compile("[“”]")
EXCERPT = 6


@dataclass(frozen=True)
class Problem:
    kind: str  # halfwidth, repeat, unpaired
    start: int
    end: int
    new: str | None  # the replacement for text[start:end], or None when no fix is certain


def _chinese(char):
    return bool(char) and (CJK.match(char) is not None or char in FULL_WIDTH_MARKS)


def _repeats(text):
    for match in _REPEAT.finditer(text):
        marks = {HALF_TO_FULL.get(char, char) for char in match.group()}
        if len(marks) == 1 and (_chinese(text[match.start() - 1:match.start()]) or match.group()[0] in "，。；：、！？"):
            yield Problem("repeat", match.start(), match.end(), marks.pop())


def _half_width(text, taken):
    quotes = [index for index, char in enumerate(text) if char == '"']
    chinese_quotes = [index for index in quotes if _chinese(text[index - 1:index]) or _chinese(text[index + 1:index + 2])]
    for order, index in enumerate(chinese_quotes):
        yield Problem("halfwidth", index, index + 1, "“" if order % 2 == 0 else "”")
    for index, char in enumerate(text):
        if char not in HALF_TO_FULL or index in taken:
            continue
        before, after = text[index - 1:index], text[index + 1:index + 2]
        if char in ",:." and before.isdigit() and after.isdigit():
            continue  # 1,000 · 10:30 · 3.5
        if char == "." and not (_chinese(before) and (not after or _chinese(after) or after == "\n")):
            continue
        if char in "()":
            line_start, line_end = text.rfind("\n", 0, index) + 1, text.find("\n", index)
            line = text[line_start:line_end if line_end != -1 else len(text)]
            if not CJK.search(line):
                continue
        elif not (_chinese(before) or _chinese(after)):
            continue
        yield Problem("halfwidth", index, index + 1, HALF_TO_FULL[char])


def _next_quote(text, index):
    match = _QUOTE.search(text, index + 1)
    return match.group() if match else ""


def _unpaired(text):
    stack = []
    for index, char in enumerate(text):
        if char in _PAIRS and not (char == "“" and stack and text[stack[-1]] == "“"):
            stack.append(index)
        elif char == "“":
            opener = stack.pop()
            if _next_quote(text, index) == "”":
                # “A … “B” : the first quotation lacks its closing mark.
                stack.append(index)
                yield Problem("unpaired", opener, opener + 1, None)
            else:
                # “A“ : the second opening quote stands where the closing one belongs.
                yield Problem("unpaired", index, index + 1, "”")
        elif char in _CLOSERS:
            if stack and text[stack[-1]] in (_CLOSERS[char], "(" if char == "）" else "（" if char == ")" else ""):
                stack.pop()
            else:
                yield Problem("unpaired", index, index + 1, None)
    for index in stack:
        yield Problem("unpaired", index, index + 1, None)


def problems(text):
    """Every punctuation problem of one entry's plain text, in text order."""
    found = list(_repeats(text))
    taken = {index for problem in found for index in range(problem.start, problem.end)}
    found += _half_width(text, taken)
    found += _unpaired(text)
    return sorted(found, key=lambda problem: (problem.start, problem.kind))


def _excerpt(text, start, end):
    return text[max(0, start - EXCERPT):end + EXCERPT].replace("\n", " ")


MESSAGES = {
    "halfwidth": "中文语句中用了半角标点，应为全角（GB/T 15834）。",
    "repeat": "标点重复。",
}


def entry_findings(checked):
    """The punctuation findings of one CheckedEntry: one per kind with a fix for all of that
    kind, and one per unpaired mark."""
    text, found = checked.text, problems(checked.text)
    for kind in ("halfwidth", "repeat"):
        group = [problem for problem in found if problem.kind == kind]
        if not group:
            continue
        marks = "".join(dict.fromkeys(text[p.start:p.end] for p in group))
        count = f"（共{len(group)}处）" if len(group) > 1 else ""
        yield Finding(
            severity=WARNING, code="punctuation", entry=checked.entry, where=checked.where,
            text=_excerpt(text, group[0].start, group[0].end),
            message=f"{MESSAGES[kind]}{count}涉及：{marks}",
            suggestion="、".join(dict.fromkeys(f"{text[p.start:p.end]}→{p.new}" for p in group)),
            fix=edits_for(text, [(p.start, p.end, p.new) for p in group]), fix_key=kind,
            at=tuple(p.start for p in group),
        )
    for problem in (p for p in found if p.kind == "unpaired"):
        mark = text[problem.start]
        yield Finding(
            severity=WARNING, code="punctuation", entry=checked.entry, where=checked.where,
            text=_excerpt(text, problem.start, problem.end),
            message=f"标点“{mark}”不成对。" + ("" if problem.new else "请补上或删去对应的标点。"),
            suggestion=f"{mark}→{problem.new}" if problem.new else "",
            fix=edits_for(text, [(problem.start, problem.end, problem.new)]) if problem.new else (),
            fix_key=f"unpaired-{problem.start}", at=(problem.start,),
        )


def check_punctuation(context):
    for checked in context.entries:
        yield from entry_findings(checked)
