"""The people registry as the text reader sees it: names, titles over time, names one character apart."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .titles import title_before

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝"
)
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙",
                   "宇文", "司徒", "端木")


def surname(name):
    return name[:2] if name.startswith(DOUBLE_SURNAMES) else name[:1]


@dataclass
class RegisteredPerson:
    pk: object
    name: str
    titles: list = field(default_factory=list)  # (title, start_date, end_date)
    current_title: str = ""

    def titles_at(self, date):
        """The titles held on `date` (every recorded one when `date` is None); the current title
        when no period covers it."""
        held = [
            title for title, start, end in self.titles
            if date is None or ((start is None or start <= date) and (end is None or end >= date))
        ]
        if held:
            return held
        return [self.current_title] if self.current_title else []

    def all_titles(self):
        return [title for title, _, _ in self.titles] + ([self.current_title] if self.current_title else [])


@dataclass(frozen=True)
class Mention:
    """A registered name as written, with the title run right before it (or None)."""

    name: str
    start: int
    end: int
    title: object  # TitleRun or None


class PeopleIndex:
    """The registry's people, loaded once and reused for many texts."""

    def __init__(self, people):
        self.by_name = defaultdict(list)
        for person in people:
            self.by_name[person.name].append(person)
        names = sorted((name for name in self.by_name if name), key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None
        self._one_off = defaultdict(set)
        for name in self.by_name:
            for index in range(len(name)):
                self._one_off[name[:index] + "?" + name[index + 1:]].add(name)
        self.lengths = sorted({len(name) for name in self.by_name if len(name) >= 2}, reverse=True)
        self.first_chars = {name[0] for name in self.by_name if name}

    @staticmethod
    def registered(person):
        """A Person row (titles prefetched) as the index keeps it."""
        titles = [(row.title, row.start_date, row.end_date) for row in person.titles.all()]
        return RegisteredPerson(pk=person.pk, name=person.name, titles=titles, current_title=person.title)

    @classmethod
    def from_people(cls, people):
        return cls(cls.registered(person) for person in people)

    @classmethod
    def load(cls):
        """The whole registry in two flat queries (no model instances: it is read for every check)."""
        from bulletins.models import Person, PersonTitle

        titles = defaultdict(list)
        for person_id, title, start, end in PersonTitle.objects.values_list("person_id", "title", "start_date",
                                                                             "end_date"):
            titles[person_id].append((title, start, end))
        return cls(
            RegisteredPerson(pk=pk, name=name, titles=titles[pk], current_title=title)
            for pk, name, title in Person.objects.values_list("pk", "name", "title")
        )

    def one_off(self, written):
        """Registered names of the same length exactly one character away from `written`."""
        names = set()
        for index in range(len(written)):
            names |= self._one_off.get(written[:index] + "?" + written[index + 1:], set())
        names.discard(written)
        return names

    def titles_at(self, name, date):
        return [title for person in self.by_name[name] for title in person.titles_at(date)]

    def all_titles(self, name):
        return [title for person in self.by_name[name] for title in person.all_titles()]

    def mentions(self, text):
        """Every registered name in `text` (longest first where names overlap), each with its title."""
        found = []
        if self.pattern is None:
            return found
        floor = 0
        for match in self.pattern.finditer(text):
            name = match.group(0)
            run = title_before(text, match.start(), floor=floor, known_titles=self.all_titles(name))
            found.append(Mention(name=name, start=match.start(), end=match.end(), title=run))
            floor = match.end()
        return found
