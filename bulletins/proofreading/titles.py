"""Leaders' names and titles (职务) as written, checked against the registry at the issue's date.

A title is read from the text right before a registry name: the run of title parts joined by
、 that each end in a title word (书记, 市长, 主任, …), e.g. `市委副书记、市长高鹏凌`. A part may
be shorter than the registered one when only an organisation is left out (`部长` for
`宣传部部长`), never when a rank is (`市长` for `副市长`).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from bulletins.models import Person

from .findings import BLOCKING, Finding

TITLE_WORDS = (
    "副书记", "书记", "副市长", "市长", "区长", "县长", "镇长", "乡长", "省长", "州长", "主任", "主席", "部长",
    "局长", "厅长", "处长", "科长", "常委", "委员", "秘书长", "院长", "检察长", "庭长", "政委", "司令员", "校长",
    "会长", "理事长", "董事长", "总经理", "经理", "社长", "总编辑", "主编", "行长", "所长", "站长", "队长", "组长",
    "指挥长", "巡视员", "调研员", "督学", "馆长", "台长", "主任委员",
)
_TITLE_WORD = re.compile("|".join(sorted(TITLE_WORDS, key=len, reverse=True)))
_TITLE_RUN = re.compile(r"[\u4e00-\u9fff、]+$")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
WINDOW = 60

RANK_MODIFIERS = ("副", "代", "常务", "执行", "第一", "名誉")
# Characters that end an organisation's name (市委, 宣传部, 公安局, 常委会, …): a title part may
# only be shortened at one of them.
ORG_END_CHARS = set("委府部局会市区县省州镇乡办院厅处科室队所站心司团社联协街道村组校馆行台署庭大")
# Organisation words that may be written in front of a registered title without changing it.
IMPLICIT_PREFIXES = ("中共", "市委", "市政府", "市")
# What may directly follow a title word without being a name (常委会, 书记处, 主任委员, 指出, …).
NOT_A_NAME_START = set(
    "会员处长副书委主指强要表出参在对一等及和与同率带先也还就又都并亲深到来赴前分专听作说为以将把从自兼宣组"
    "各这那其此该本每再已仍均积认充切不没能可须必坚始既们"
)
# Ordinary words that begin with a common surname.
NOT_A_NAME = {"何时", "何处", "何况", "高度", "高效", "高位", "高标", "李子", "周密", "周边", "黄金", "马上", "田间", "金融"}


@dataclass
class TitleRun:
    parts: list  # the title parts as written, leftmost first
    loose_start: bool  # whether text before the first part may be ordinary words, not title

    @property
    def display(self):
        first = re.split(r"[由与及同在对向是为将把请陪]", self.parts[0])[-1] or self.parts[0]
        return "、".join([first, *self.parts[1:]])


def _ends_with_title_word(part):
    return any(part.endswith(word) for word in TITLE_WORDS)


def title_before(text, position):
    """The title written right before `position` in `text`, or None when there is none."""
    match = _TITLE_RUN.search(text[max(0, position - WINDOW):position])
    if not match:
        return None
    pieces = match.group().split("、")
    parts = []
    for piece in reversed(pieces):
        if not piece or not _ends_with_title_word(piece):
            break
        parts.insert(0, piece)
    if not parts:
        return None
    return TitleRun(parts=parts, loose_start=len(parts) == len(pieces))


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
    shortest_word = min(len(word) for word in TITLE_WORDS if part.endswith(word))
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


def run_fits(run, registered_parts):
    """Whether every part of the written title is one of the registered parts."""
    return all(
        _part_fits(part, registered_parts, loose_start=run.loose_start and index == 0)
        for index, part in enumerate(run.parts)
    )


@dataclass
class RegisteredPerson:
    name: str
    titles: list = field(default_factory=list)  # (title, start_date, end_date)
    current_title: str = ""

    def titles_at(self, date):
        held = [
            title for title, start, end in self.titles
            if (start is None or start <= date) and (end is None or end >= date)
        ]
        if held:
            return held
        return [self.current_title] if self.current_title else []

    def all_titles(self):
        return [title for title, _, _ in self.titles] + ([self.current_title] if self.current_title else [])


class Registry:
    """The people registry, loaded once: names, their titles over time, and near-name lookup."""

    def __init__(self, people):
        self.by_name = defaultdict(list)
        for person in people:
            self.by_name[person.name].append(person)
        self.names_longest_first = sorted(self.by_name, key=len, reverse=True)
        self._one_off = defaultdict(set)
        for name in self.by_name:
            for index in range(len(name)):
                self._one_off[name[:index] + "?" + name[index + 1:]].add(name)
        self.lengths = sorted({len(name) for name in self.by_name if len(name) >= 2})

    @classmethod
    def load(cls):
        people = []
        for person in Person.objects.prefetch_related("titles").only("name", "title"):
            titles = [(row.title, row.start_date, row.end_date) for row in person.titles.all()]
            people.append(RegisteredPerson(name=person.name, titles=titles, current_title=person.title))
        return cls(people)

    def name_at(self, text, position):
        return next((name for name in self.names_longest_first if text.startswith(name, position)), None)

    def one_off(self, candidate):
        names = set()
        for index in range(len(candidate)):
            names |= self._one_off.get(candidate[:index] + "?" + candidate[index + 1:], set())
        names.discard(candidate)
        return sorted(names)

    def titles_at(self, name, date):
        return [title for person in self.by_name[name] for title in person.titles_at(date)]

    def all_titles(self, name):
        return [title for person in self.by_name[name] for title in person.all_titles()]


def _parts(titles):
    return [part for title in titles for part in title_parts(title)]


def _date(date):
    return f"{date.year}年{date.month}月{date.day}日"


def check_titles(context, registry):
    """A registry person named with a title that is not theirs at the issue's date: blocking."""
    for checked in context.entries:
        text = checked.text
        for name in registry.names_longest_first:
            for match in re.finditer(re.escape(name), text):
                if registry.name_at(text, match.start()) != name:
                    continue  # part of a longer registry name
                run = title_before(text, match.start())
                if run is None:
                    continue
                held = registry.titles_at(name, context.date)
                if not held or run_fits(run, _parts(held)):
                    continue
                right = "、".join(held)
                yield Finding(
                    severity=BLOCKING, code="title", entry=checked.entry, where=checked.where,
                    text=f"{run.display}{name}",
                    message=f"职务与登记不符：{name}在{_date(context.date)}的职务是“{right}”，文中写作“{run.display}”。",
                    suggestion=f"{right}{name}",
                )


def check_near_names(context, registry):
    """A name one character off a registry name, right after a title: blocking."""
    if not registry.lengths:
        return
    for checked in context.entries:
        text = checked.text
        for match in _TITLE_WORD.finditer(text):
            position = match.end()
            if position >= len(text) or text[position] in NOT_A_NAME_START:
                continue
            if registry.name_at(text, position):
                continue
            run = title_before(text, position)
            if run is None:
                continue
            for length in registry.lengths:
                candidate = text[position:position + length]
                if len(candidate) < length or not _CJK.match(candidate) or candidate[:2] in NOT_A_NAME:
                    continue
                for name in registry.one_off(candidate):
                    same_surname = candidate[0] == name[0]
                    if not same_surname and not run_fits(run, _parts(registry.all_titles(name))):
                        continue  # most likely someone else, not a misspelling
                    held = registry.titles_at(name, context.date)
                    title = run.display if not held or run_fits(run, _parts(held)) else "、".join(held)
                    yield Finding(
                        severity=BLOCKING, code="near_name", entry=checked.entry, where=checked.where,
                        text=f"{run.display}{candidate}",
                        message=f"人名疑似写错：“{candidate}”与登记的“{name}”只差一个字。",
                        suggestion=f"{title}{name}",
                    )
