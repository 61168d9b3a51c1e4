"""Leaders' titles (职务) as written before a name: one word list, one reading, one fit rule.

A title is the run of parts joined by 、 right before a name, each part ending in a title word
(书记, 市长, 主任, …), e.g. `市委副书记、市长高鹏凌`. A written part fits a registered one when it
says the same, perhaps without its organisation (`部长` for `宣传部部长`), never without a rank
(`市长` for `副市长`).
"""

import re
from dataclasses import dataclass

CJK = "\u4e00-\u9fff"
TITLE_WORDS = (
    "副书记", "书记", "副市长", "市长", "区长", "县长", "镇长", "乡长", "省长", "州长", "主任委员", "主任科员",
    "主任", "主席", "部长", "局长", "厅长", "处长", "科长", "秘书长", "院长", "检察长", "庭长", "校长", "馆长",
    "社长", "总编辑", "主编", "常委", "委员", "政委", "司令员", "巡视员", "调研员", "组长", "队长", "所长", "站长",
    "会长", "理事长", "董事长", "总经理", "经理", "行长", "台长", "指挥长", "专员", "督学", "审计长",
    "总工程师", "总经济师",
)
TITLE_WORD = re.compile("|".join(sorted(TITLE_WORDS, key=len, reverse=True)))
# Characters that do not occur in a title but do in the words before one (会议由…, 在…, 陪同…).
NOT_IN_TITLE = "由在与同及并向对据受请是为等了的陪带邀将把"
_FIRST_PART = re.compile(rf"(?:(?![{NOT_IN_TITLE}])[{CJK}])*?(?:{TITLE_WORD.pattern})")
_SEGMENT = rf"(?:(?![{NOT_IN_TITLE}])[{CJK}]){{0,20}}?(?:{TITLE_WORD.pattern})"
# A whole title as a regular expression (parts joined by 、), for finding title-plus-name patterns.
TITLE_PATTERN = rf"(?:{_SEGMENT}、)*{_SEGMENT}"
# Where the words before a name stop: punctuation, a leading date.
CHUNK_BREAK = re.compile(r"[,，。；;：:！？!?（）()“”\"'《》\s]")
LEADING_DATE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|早上|中午)?|^(?:近日|日前)")
_TRAILING_RUN = re.compile(rf"[{CJK}、]+$")
WINDOW = 60

RANK_MODIFIERS = ("副", "代", "常务", "执行", "第一", "名誉")
# Characters that end an organisation's name (市委, 宣传部, 公安局, 常委会, …): a title part may
# only be shortened at one of them.
ORG_END_CHARS = set("委府部局会市区县省州镇乡办院厅处科室队所站心司团社联协街道村组校馆行台署庭大")
# Organisation words that may be written in front of a registered title without changing it.
IMPLICIT_PREFIXES = ("中共", "市委", "市政府", "市")


@dataclass(frozen=True)
class TitleRun:
    parts: tuple  # the title parts as written, leftmost first (the first may start with ordinary words)
    loose_start: bool  # whether text before the first part may be ordinary words, not title
    display: str  # the title as written, without the words before it: 市委常委、宣传部部长


def _display(parts):
    first = parts[0]
    for start in range(len(first)):
        if _FIRST_PART.fullmatch(first, start):
            first = first[start:]
            break
    return "、".join([first, *parts[1:]])


def _chunk(text, position, floor):
    start = max(floor, position - WINDOW)
    for match in CHUNK_BREAK.finditer(text, start, position):
        start = match.end()
    chunk = text[start:position].lstrip("、")
    date = LEADING_DATE.match(chunk)
    return chunk[date.end():] if date else chunk


def title_before(text, position, *, floor=0, known_titles=()):
    """The title written right before `position` in `text` (a TitleRun), or None.

    `floor`: where the previous name ended, so a title never reaches back over it.
    `known_titles`: registered titles to accept even when they end in no title word.
    """
    chunk = _chunk(text, position, floor)
    match = _TRAILING_RUN.search(chunk)
    run = None
    if match:
        pieces = match.group().split("、")
        parts = []
        for piece in reversed(pieces):
            if not piece or not piece.endswith(TITLE_WORDS):
                break
            parts.insert(0, piece)
        if parts:
            run = TitleRun(parts=tuple(parts), loose_start=len(parts) == len(pieces), display=_display(parts))
    for title in known_titles:
        if title and chunk.endswith(title) and len(title) > len(run.display if run else ""):
            run = TitleRun(parts=tuple(title_parts(title)), loose_start=False, display=title)
    return run


def title_parts(title):
    return [part for part in re.split(r"[、，,\s]+", title) if part]


def _fits(written, registered):
    """Whether a written title part says the same as a registered one (perhaps without its organisation)."""
    if written == registered:
        return True
    if not registered.endswith(written):
        return False
    left_out = registered[: -len(written)]
    return left_out[-1] in ORG_END_CHARS and not left_out.endswith(RANK_MODIFIERS)


def _part_fits(part, registered_parts, loose_start):
    words = [word for word in TITLE_WORDS if part.endswith(word)]
    shortest_word = min((len(word) for word in words), default=len(part))
    for start in range(len(part) - shortest_word + 1):
        written = part[start:]
        if not any(_fits(written, registered) for registered in registered_parts):
            continue
        before = part[:start]
        if not before or before in IMPLICIT_PREFIXES:
            return True
        if loose_start and before[-1] not in ORG_END_CHARS and not before.endswith(RANK_MODIFIERS):
            return True
    return False


def run_fits(run, titles):
    """Whether every part of the written title is a part of one of the registered `titles`."""
    registered_parts = [part for title in titles for part in title_parts(title)]
    return bool(registered_parts) and all(
        _part_fits(part, registered_parts, loose_start=run.loose_start and index == 0)
        for index, part in enumerate(run.parts)
    )
