"""The corpus `make bench-proofreading` checks: a registry and issues, with errors seeded at known places.

Pure Python (no database): `build(seed)` returns the people (with their titles over the
years), the issues (dated, 12 entries each, from varied templates) and, for each seeded
error, where it is (issue, entry, offset in the entry's text) and of which kind. Clean issues
carry no seed at all, so any finding on them is a false one.
"""

import datetime
import random
from dataclasses import dataclass, field

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范廖贾夏韦傅邹孟熊秦邱薛段雷侯陶黎贺顾郝龚邵覃"
GIVEN = "建国军鸣华伟强磊洋勇艳娟敏静丽涛斌彬鹏凌琦映渝志刚峰辉杰宏亮晖燕霞玉兰德胜武永松柏波超俊"
SLIP_CHARS = "健囯君铭桦炜蔷垒阳涌焰鹃闽婧俪滔赟杉鹂菱骐瑛榆智钢锋珲婕泓谅珲雁瑕钰岚得晟珷咏淞栢渤钞峻"
POSTS = [
    "市委书记", "市委副书记、市长", "市人大常委会主任", "市政协主席", "市委副书记", "市委常委、宣传部部长",
    "市委常委、组织部部长", "市委常委、政法委书记", "市委常委、秘书长", "市委常委、纪委书记", "副市长",
    "副市长、市公安局局长", "市人大常委会副主任", "市政协副主席", "市教育局局长", "市卫生健康委员会主任",
    "市住房和城乡建设局局长", "市文化广电旅游局局长", "市生态环境局局长", "市交通运输局局长", "市城市管理局局长",
    "市民政局局长", "市商务局局长", "巴州区委书记", "巴州区区长", "恩阳区委书记", "恩阳区区长", "通江县委书记",
    "通江县县长", "南江县委书记", "南江县县长", "平昌县委书记", "平昌县县长", "市中级人民法院院长",
    "市人民检察院检察长", "市委宣传部副部长", "市文明办主任", "团市委书记", "市妇联主席", "市审计局局长",
]
START, END = datetime.date(2020, 1, 1), datetime.date(2024, 12, 31)
PLACES = ["巴州区江北街道", "恩阳区登科街道", "通江县诺江镇", "南江县南江镇", "平昌县江口街道", "巴州区回风街道",
          "经开区", "巴州区东城街道", "恩阳区文治街道", "平昌县同州街道", "通江县壁州街道", "南江县集州街道"]
TOPICS = ["创文", "背街小巷整治", "农贸市场提升", "交通秩序整治", "公益广告设置", "垃圾分类", "老旧小区改造",
          "志愿服务", "未成年人思想道德建设", "窗口单位服务", "城市管理", "环境卫生", "文明交通", "市容市貌"]
UNITS = ["市税务局", "市住房和城乡建设局", "市残疾人联合会", "市中医院", "市教育局", "市交通运输局", "市民政局",
         "市商务局", "市总工会", "巴中日报社", "市人力资源和社会保障局", "市机关事务服务中心", "市城市管理局",
         "市市场监管局", "市文化广电旅游局", "市生态环境局", "市卫生健康委员会", "市妇联", "团市委", "市科协"]
ACTIVITIES = ["文明交通劝导", "环境卫生清扫", "政策宣讲", "义诊", "文明礼仪宣传", "垃圾分类宣传", "关爱空巢老人",
              "牛皮癣清理", "禁毒宣传", "消防安全检查", "法律咨询", "读书分享", "健康知识讲座", "反诈宣传"]
LAWS = ["巴中市文明行为促进条例", "巴中市市容和环境卫生管理条例", "巴中市养犬管理条例", "新时代公民道德建设实施纲要",
        "巴中市城市绿化条例", "巴中市电动自行车管理办法"]
SLOGANS = ["绿水青山就是金山银山", "人民城市人民建、人民城市为人民", "创建为民、创建惠民", "门前三包", "马路办公",
           "四不两直", "一号工程", "周周清", "双报到", "小手拉大手"]
SENTENCES = [
    "要坚持问题导向和目标导向，盯住{topic}等重点工作",
    "要强化统筹联动，压紧压实{unit}的主体责任",
    "要牢固树立“{slogan}”理念，推动创建工作常态长效",
    "要深入学习宣传《{law}》，引导市民自觉遵守文明规范",
    "要对标测评标准，逐项梳理{topic}方面的短板弱项",
    "要加大巡查和执法力度，确保{place}的问题及时整改",
    "要发挥好网格员、文明劝导员等队伍的作用，做实做细{topic}工作",
    "要认真落实“{slogan}”机制，做到问题不过夜",
    "要以群众满意为标准，持续提升{place}群众的获得感",
    "要聚焦薄弱环节和小微问题，对{topic}进行拉网式摸排",
    "要强化督查问责，对{unit}包保点位开展常态化暗访",
    "要把{topic}作为今年创建工作的重中之重，集中力量攻坚",
    "要用好“{slogan}”工作法，推动干部下沉一线",
    "要做好宣传引导，在{place}营造人人参与创建的浓厚氛围",
    "要优化公益广告布局，突出《{law}》的宣传内容",
    "要建立问题台账，实行销号管理，确保{topic}整改到位",
    "各部门要主动认领任务，确保{topic}各项措施落地见效",
    "要以钉钉子精神抓好{topic}，以实际成效取信于民",
]
UNIT_SENTENCES = [
    "活动中，志愿者向居民发放宣传资料{n}份，耐心解答居民提出的问题",
    "志愿者们分组行动，清理楼道杂物和小广告，还居民一个干净整洁的环境",
    "工作人员结合身边事例讲解《{law}》，引导居民养成文明习惯",
    "活动现场设置了咨询台，为群众提供{activity}服务",
    "大家纷纷表示，要从自身做起，争做文明市民",
    "下一步，该单位将持续开展“{slogan}”活动，推动创建工作走深走实",
    "此次活动共劝导不文明行为{n}起，收到良好效果",
    "参加活动的党员干部还走访了辖区困难群众，送去慰问品",
    "{unit}负责同志带头上阵，与志愿者一起清扫街面、擦拭护栏",
    "针对{topic}中发现的问题，现场建立台账，明确整改时限",
    "活动期间，{place}群众积极参与，现场气氛热烈",
    "志愿者还结合{activity}，向群众普及文明出行知识",
    "据统计，今年以来该单位已累计开展此类活动{n}场次",
    "该单位还将{topic}纳入年度目标考核，推动形成长效机制",
    "社区党员、楼栋长和志愿者共同参与，形成了共建共治的良好局面",
    "针对群众反映的{topic}问题，工作人员逐一登记并转交相关部门办理",
]
ACTS = ["调研", "暗访督导", "检查", "实地督导", "专题调研"]
VERBS = ["强调", "指出", "要求", "表示"]


@dataclass
class Person:
    name: str
    posts: list = field(default_factory=list)  # (title, start, end or None)

    def title_at(self, date):
        return next(title for title, start, end in self.posts if start <= date and (end is None or date <= end))


@dataclass
class Seed:
    kind: str  # title, name_titled, name_bare, halfwidth, repeat, unpaired, near_repeat
    entry: int  # index of the entry in its issue
    offset: int  # in the entry's text (-1: the whole entry)
    expected: str = ""  # the registered name a name slip stands for


@dataclass
class Entry:
    section: str
    text: str
    people: list = field(default_factory=list)  # (person, title written, title start, name start, bare starts)
    numbers: list = field(default_factory=list)  # offsets of numbers that may change in a copy


@dataclass
class Issue:
    year: int
    number: int
    date: datetime.date
    entries: list
    seeds: list = field(default_factory=list)


def _people(rng, vocabulary, count=160):
    names, people = set(), []

    def fresh(name):
        return name not in names and name not in vocabulary and not any(name in other or other in name for other in names)

    while len(people) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if not fresh(name):
            continue
        names.add(name)
        people.append(Person(name))
        if len(people) % 4 == 0:  # a near-identical name: same surname, one character apart
            index = rng.randrange(1, len(name))
            twin = name[:index] + rng.choice(GIVEN) + name[index + 1:]
            if fresh(twin):
                names.add(twin)
                people.append(Person(twin))
    posts = POSTS[:]
    for person in people:
        changes = rng.choice((0, 1, 1, 2))
        days = sorted(rng.sample(range(1, (END - START).days), changes))
        starts = [START] + [START + datetime.timedelta(days=day) for day in days]
        chosen = rng.sample(posts, len(starts))
        for index, (title, start) in enumerate(zip(chosen, starts)):
            end = starts[index + 1] - datetime.timedelta(days=1) if index + 1 < len(starts) else None
            person.posts.append((title, start, end))
    return people


def _fill(rng, template):
    return template.format(
        topic=rng.choice(TOPICS), unit=rng.choice(UNITS), slogan=rng.choice(SLOGANS), law=rng.choice(LAWS),
        place=rng.choice(PLACES), activity=rng.choice(ACTIVITIES), n=rng.randint(20, 400),
    )


def _sentences(rng, pool, count):
    return "；".join(_fill(rng, sentence) for sentence in rng.sample(pool, count)) + "。"


def _leader_entry(rng, people, date):
    first, second = rng.sample(people, 2)
    title1, title2 = first.title_at(date), second.title_at(date)
    if "、" in title1 and rng.random() < 0.3:
        title1 = title1.split("、")[-1]  # a part of the registered title is as right as the whole
    shape = rng.randrange(5)
    if shape == 0:
        head = f"近日，{title1}{first.name}{rng.choice(ACTS)}{rng.choice(PLACES)}{rng.choice(TOPICS)}工作。"
    elif shape == 1:
        head = f"近日，{title1}{first.name}主持召开{rng.choice(TOPICS)}工作推进会，听取有关情况汇报。"
    elif shape == 2:
        head = f"近日，{title1}{first.name}率队到{rng.choice(PLACES)}调研{rng.choice(TOPICS)}工作。"
    elif shape == 3:
        head = f"近日，{title1}{first.name}、{title2}{second.name}出席{rng.choice(TOPICS)}工作现场会。"
    else:
        head = f"近日，{title1}{first.name}一行深入{rng.choice(PLACES)}，实地察看{rng.choice(TOPICS)}情况。"
    title_start = head.index(title1 + first.name)
    name_start = title_start + len(title1)
    opening = rng.choice(("", "会上，"))  # a bare mention before a verb, or resting on the titled one
    middle = opening + first.name + (rng.choice(VERBS) if not opening else "在讲话中指出") + "，"
    bare = len(head) + len(opening)
    text = head + middle + _sentences(rng, SENTENCES, rng.randint(3, 5))
    people_info = [(first, title1, title_start, name_start, [bare])]
    if shape == 3:
        start = head.index(title2 + second.name)
        people_info.append((second, title2, start, start + len(title2), []))
    return Entry("领导活动", text, people_info)


def _unit_entry(rng, section):
    unit, count = rng.choice(UNITS), rng.randint(20, 300)
    head = rng.choice((
        "近日，{unit}组织干部职工到{place}开展{activity}志愿服务活动。", "{unit}在{place}开展“{slogan}”主题活动。",
        "为推进{topic}工作，{unit}联合{place}开展{activity}活动。", "近日，{unit}志愿服务队走进{place}，开展{activity}。",
    )).format(unit=unit, place=rng.choice(PLACES), activity=rng.choice(ACTIVITIES), slogan=rng.choice(SLOGANS),
              topic=rng.choice(TOPICS))
    body = _sentences(rng, UNIT_SENTENCES, rng.randint(3, 5))
    tail = f"本次活动共有{count}余名干部群众参加。"
    text = head + body + tail
    return Entry(section, text, numbers=[(len(head) + len(body) + tail.index(str(count)), str(count))])


def _issue_entries(rng, people, date):
    entries = [_leader_entry(rng, people, date) for _ in range(5)]
    entries += [_unit_entry(rng, "单位行动") for _ in range(4)]
    entries += [_unit_entry(rng, "一线经验") for _ in range(2)]
    entries += [_unit_entry(rng, "同创资讯")]
    return entries


def _slip(rng, name, registered):
    for _ in range(50):
        index = rng.randrange(1, len(name))
        slipped = name[:index] + rng.choice(SLIP_CHARS) + name[index + 1:]
        if slipped not in registered and slipped != name:
            return slipped
    return None


def _wrong_title(rng, person, date):
    held = person.title_at(date)
    if held.startswith("副") and rng.random() < 0.5:
        return held[1:]  # the rank left out: 市长 for 副市长
    held_parts = held.split("、")
    for _ in range(100):
        title = rng.choice(POSTS)
        parts = title.split("、")
        if not any(a.endswith(b) or b.endswith(a) for a in parts for b in held_parts):
            return title
    return None


def _seed(rng, issue, entries, kind, index, registered, earlier):
    entry = entries[index]
    text = entry.text
    if kind in ("title", "name_titled", "name_bare"):
        person, _, title_start, name_start, bares = entry.people[0]
        if kind == "title":
            wrong = _wrong_title(rng, person, issue.date)
            entry.text = text[:title_start] + wrong + text[name_start:]
            return Seed(kind, index, title_start + len(wrong), person.name)
        slipped = _slip(rng, person.name, registered)
        at = name_start if kind == "name_titled" else bares[0]
        entry.text = text[:at] + slipped + text[at + len(person.name):]
        return Seed(kind, index, at, person.name)
    commas = [position for position, char in enumerate(text) if char == "，"]
    if kind == "halfwidth":
        at = rng.choice(commas)
        mark = rng.choice(",,,;:(")
        if mark == "(":
            close = text.index("。", at)
            entry.text = text[:at] + "，(" + text[at + 1:close] + ")" + text[close:]
            return Seed(kind, index, at + 1)
        entry.text = text[:at] + mark + text[at + 1:]
        return Seed(kind, index, at)
    if kind == "repeat":
        at = rng.choice(commas)
        entry.text = text[:at] + "，，" + text[at + 1:]
        return Seed(kind, index, at)
    if kind == "unpaired":
        pairs = [position for position, char in enumerate(text) if char in "“《"]
        if pairs:
            at = rng.choice(pairs)
            closer = text.index("”" if text[at] == "“" else "》", at)
            entry.text = text[:closer] + text[closer + 1:]
            return Seed(kind, index, at)
        at = rng.choice(commas)
        entry.text = text[:at + 1] + "“" + text[at + 1:]
        return Seed(kind, index, at + 1)
    if kind == "near_repeat":
        source = rng.choice([e for e in earlier if e.numbers])
        at, old = source.numbers[0]
        entries[index] = Entry(entry.section, source.text[:at] + str(int(old) + 7) + source.text[at + len(old):])
        return Seed(kind, index, -1)
    raise ValueError(kind)


KINDS = ("title", "name_titled", "name_bare", "halfwidth", "repeat", "unpaired", "near_repeat")


def vocabulary():
    return "".join(SENTENCES + UNIT_SENTENCES + PLACES + TOPICS + UNITS + ACTIVITIES + LAWS + SLOGANS + ACTS + VERBS)


def build(seed=13, issue_count=220, seeded_share=0.55):
    rng = random.Random(seed)
    people = _people(rng, vocabulary())
    registered = {person.name for person in people}
    issues, archive, kind_turn = [], [], 0
    days = (END - START).days
    for position in range(issue_count):
        date = START + datetime.timedelta(days=20 + position * (days - 40) // issue_count)
        number = 1 + sum(1 for issue in issues if issue.year == date.year)
        entries = _issue_entries(rng, people, date)
        issue = Issue(date.year, number, date, entries)
        if position >= 10 and rng.random() < seeded_share:
            slots = rng.sample(range(len(entries)), 4)
            for index in slots:
                kind = KINDS[kind_turn % len(KINDS)]
                if kind in ("title", "name_titled", "name_bare") and index >= 5:
                    index = next(i for i in range(5) if i not in [s.entry for s in issue.seeds])
                if any(s.entry == index for s in issue.seeds):
                    continue
                kind_turn += 1
                issue.seeds.append(_seed(rng, issue, entries, kind, index, registered, archive))
        seeded = {seed.entry for seed in issue.seeds}
        archive += [entry for index, entry in enumerate(entries) if entry.numbers and index not in seeded]
        issues.append(issue)
    return people, issues
