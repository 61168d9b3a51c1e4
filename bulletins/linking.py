"""Find the registry's people and units named in an entry's text, and link them.

Precision over recall: a unit is matched only by a name or alias in the registry (市残联 and
市残疾人联合会 are one unit; 市委 alone is nothing unless registered), a person only by their
registered name. A title-plus-name pattern whose name is not registered is offered to the
editor as a suggestion (`suggest_new_people`), never added silently.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from .models import EntryPerson, Person, Unit

CJK = "\u4e00-\u9fff"
# Characters that do not occur in a title but do occur in the words before one (会议由…, 在…).
NOT_IN_TITLE = "由在与同及并向对据受请是为等了的陪带邀"
TITLE_ENDINGS = (
    "副书记|书记|市长|区长|县长|镇长|乡长|主任委员|主任|主席|部长|局长|厅长|处长|科长|秘书长|院长|检察长|"
    "庭长|校长|馆长|社长|总编辑|主编|常委|委员|政委|司令员|巡视员|调研员|组长|队长|所长|站长|会长|"
    "理事长|董事长|总经理|经理|行长|台长|指挥长|专员|督学|审计长|总工程师|总经济师|主任科员"
)
_SEGMENT = rf"(?:(?![{NOT_IN_TITLE}])[{CJK}]){{0,20}}?(?:{TITLE_ENDINGS})"
TITLE = re.compile(rf"(?:{_SEGMENT}、)*{_SEGMENT}")
# Where the words before a name stop: punctuation, a previous name, a leading date.
CHUNK_BREAK = re.compile(r"[,，。；;：:！？!?（）()“”\"'《》\s]")
LEADING_DATE = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日(?:上午|下午|晚上|早上|中午)?|^(?:近日|日前)")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝廖罗"
)
DOUBLE_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|夏侯|长孙|宇文|司徒|端木"
AFTER_NAME = (
    r"主持|出席|参加|参与|调研|督导|督查|检查|深入|带队|率队|一行|指出|强调|要求|表示|讲话|致辞|暗访|先后|实地|"
    r"前往|来到|召开|听取|会见|看望|慰问|走访|宣讲|同志|以|在|到|赴|对|就|作|等|和|与|及|、|[,，。；;：:（(\s]|$"
)
SUGGESTION = re.compile(
    rf"(?P<title>{TITLE.pattern})(?P<name>(?:{DOUBLE_SURNAMES}|[{SURNAMES}])[{CJK}]{{1,2}}?)(?=(?:{AFTER_NAME}))"
)


@dataclass(frozen=True)
class PersonMention:
    person: Person
    title: str  # as written right before the name, e.g. 市委常委、宣传部部长
    start: int
    end: int

    @property
    def title_start(self):
        return self.start - len(self.title)


@dataclass(frozen=True)
class UnitMention:
    unit: Unit
    name: str  # as written: a full name, short name or alias
    start: int


@dataclass(frozen=True)
class Suggestion:
    """A title and a name that match no registry person: offered to the editor, never added silently."""

    name: str
    title: str

    @property
    def text(self):
        return f"{self.title}{self.name}"


@dataclass
class Mentions:
    people: list[PersonMention] = field(default_factory=list)
    units: list[UnitMention] = field(default_factory=list)

    def linked_people(self):
        """One mention per person: the first that carries a title, else the first."""
        chosen = {}
        for mention in self.people:
            if mention.person.pk not in chosen or (mention.title and not chosen[mention.person.pk].title):
                chosen[mention.person.pk] = mention
        return sorted(chosen.values(), key=lambda mention: mention.start)

    def linked_units(self):
        return list({mention.unit.pk: mention.unit for mention in self.units}.values())


def _alternation(names):
    names = sorted({name for name in names if name}, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names)) if names else None


class Registry:
    """The people and units to look for, loaded once and reused for many entries."""

    def __init__(self, people, units):
        self.people = {}
        self.titles = {}
        for person in people:
            self.people.setdefault(person.name, []).append(person)
            known = {person.title, *(title.title for title in person.titles.all())}
            self.titles[person.pk] = sorted((title for title in known if title), key=len, reverse=True)
        self.units = {}
        for unit in units:
            for name in unit.all_names:
                self.units.setdefault(name, unit)
        self.person_pattern = _alternation(self.people)
        self.unit_pattern = _alternation(self.units)

    @classmethod
    def load(cls):
        return cls(Person.objects.prefetch_related("titles"), Unit.objects.all())

    def person_for(self, name, title):
        """The registered person of that name; among namesakes, the one who holds that title."""
        candidates = self.people[name]
        for person in candidates:
            if title and title in self.titles[person.pk]:
                return person
        return candidates[0]


def title_before(text, start, *, floor=0, known_titles=()):
    """The title written right before position `start`, e.g. 市委常委、宣传部部长 before 陶斌."""
    chunk_start = floor
    for match in CHUNK_BREAK.finditer(text, floor, start):
        chunk_start = match.end()
    chunk = text[chunk_start:start].lstrip("、")
    date = LEADING_DATE.match(chunk)
    if date:
        chunk = chunk[date.end():]
    found = ""
    for position in range(len(chunk)):
        if TITLE.fullmatch(chunk, position):
            found = chunk[position:]
            break
    for title in known_titles:
        if chunk.endswith(title) and len(title) > len(found):
            found = title
    return found


def find_mentions(text, registry):
    mentions = Mentions()
    if registry.person_pattern is not None:
        floor = 0
        for match in registry.person_pattern.finditer(text):
            name = match.group(0)
            candidates = registry.people[name]
            known = [title for person in candidates for title in registry.titles[person.pk]]
            title = title_before(text, match.start(), floor=floor, known_titles=known)
            person = registry.person_for(name, title)
            mentions.people.append(PersonMention(person, title, match.start(), match.end()))
            floor = match.end()
    if registry.unit_pattern is not None:
        # A unit inside a person's title (市公安局 in 市公安局局长何渝) is their post, not an actor.
        title_spans = [(mention.title_start, mention.start) for mention in mentions.people if mention.title]
        for match in registry.unit_pattern.finditer(text):
            if any(start <= match.start() < end for start, end in title_spans):
                continue
            mentions.units.append(UnitMention(registry.units[match.group(0)], match.group(0), match.start()))
    return mentions


def suggest_new_people(text, registry=None):
    """Title-plus-name patterns whose name is not in the registry, e.g. 副市长、市公安局局长何渝."""
    registry = registry or Registry.load()
    known_spans = []
    if registry.person_pattern is not None:
        known_spans = [(m.start(), m.end()) for m in registry.person_pattern.finditer(text)]
    suggestions = []
    for match in SUGGESTION.finditer(text):
        name = match["name"]
        if name in registry.people or any(start < match.end() and match.start("name") < end
                                          for start, end in known_spans):
            continue
        title = title_before(match["title"], len(match["title"]))
        suggestion = Suggestion(name=name, title=title or match["title"])
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions


@transaction.atomic
def link_entry(entry, *, registry=None):
    """Link the people and units the entry names, with the title as written in this entry.

    A registry person whose name is no longer in the text is unlinked; units are only added,
    so a unit the editor linked by hand stays. Returns the Mentions found.
    """
    registry = registry or Registry.load()
    mentions = find_mentions(entry.plain_text, registry)
    people = mentions.linked_people()
    existing = {link.person_id: link for link in entry.entry_people.all()}
    named = {person.pk for people_named in registry.people.values() for person in people_named
             if person.name in entry.plain_text}
    stale = [pk for pk, link in existing.items() if pk in registry.titles and pk not in named]
    if stale:
        entry.entry_people.filter(person_id__in=stale).delete()
    for order, mention in enumerate(people, start=1):
        link = existing.get(mention.person.pk)
        if link is None:
            EntryPerson.objects.create(entry=entry, person=mention.person, title_as_written=mention.title, order=order)
        elif (link.title_as_written, link.order) != (mention.title, order):
            link.title_as_written, link.order = mention.title, order
            link.save(update_fields=["title_as_written", "order"])
    units = mentions.linked_units()
    if units:
        entry.units.add(*units)
    return mentions


def link_entries(entries, *, registry=None):
    """link_entry for many entries with one registry load (the admin's save of an issue)."""
    registry = registry or Registry.load()
    for entry in entries:
        link_entry(entry, registry=registry)
