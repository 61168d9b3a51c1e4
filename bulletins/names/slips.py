"""Names one character off a registered one (人名笔误), titled or bare, with the best candidate.

A sequence is read as a slip when it is one character off a registered name and either
follows a title (副市长李铭), or keeps the registered surname and stands where a name stands:
before 强调/指出/要求/… or while the registered person is mentioned elsewhere in the issue.
Candidates are ranked by the title as written against each person's titles at the issue's date,
then by whether the person is mentioned in the issue, then by keeping the surname.
"""

import re
from dataclasses import dataclass

from .people import surname
from .titles import CJK, TITLE_WORD, run_fits, title_before

# What may directly follow a title word without being a name (常委会, 书记处, 主任委员, 指出, …).
NOT_A_NAME_START = set(
    "会员处长副书委主指强要表出参在对一等及和与同率带先也还就又都并亲深到来赴前分专听作说为以将把从自兼宣组"
    "各这那其此该本每再已仍均积认充切不没能可须必坚始既们"
)
# Ordinary words that look like a surname and a given name (keep growing it, with a test).
COMMON_WORDS = {
    "何时", "何处", "何况", "何在", "高度", "高效", "高位", "高标", "高质", "高速", "高新", "高温", "高层", "高中",
    "高校", "高明", "高潮", "李子", "周密", "周边", "周末", "周年", "周期", "黄金", "马上", "马路", "田间", "金融",
    "文明", "文化", "文件", "文艺", "文字", "文体", "文旅", "文物", "文章", "文创", "明确", "明显", "明年", "光明",
    "方面", "方式", "方案", "方向", "方法", "方便", "方位", "常态", "常委", "常务", "常住", "常年", "常规", "安全",
    "安排", "安置", "安装", "全面", "全市", "全国", "全体", "全力", "全部", "全省", "全区", "全民", "江北", "江南",
    "和谐", "华夏", "万元", "万人", "万名", "于是", "于此", "石头", "林业", "林木", "龙头", "牛皮", "车辆", "车站",
    "路面", "路段", "路口", "关于", "关注", "关键", "管理", "管控", "成效", "成果", "成员", "成立", "时间", "时期",
    "时代", "向上", "党员", "党建", "党委", "宣传", "卫生", "单位", "任务", "任职", "包保", "应急", "应当", "司法",
    "商户", "商家", "师生", "连续", "农村", "农民", "古城", "易地", "温暖", "康养", "施工", "严格", "严禁", "严防",
    "严重", "武装", "史上", "毛病", "景区", "景点", "简易", "童年", "齐心", "伍佰", "游客", "尚未", "余名", "余人",
    "邓小", "谢谢", "孙子", "曾经", "付出", "支持", "边界", "边缘", "季度", "席位", "项目", "费用", "池塘", "冷链",
    "苗木", "夏季", "秋季", "春季", "冬季", "解决", "解读", "华丽", "蓝天", "龙舟", "雷锋",
}
# Words after which a two- or three-character sequence stands where a name stands.
NAME_VERBS = (
    "强调", "指出", "要求", "表示", "主持", "讲话", "致辞", "出席", "参加", "调研", "督导", "督查", "检查", "率队",
    "带队", "一行", "同志", "先后", "实地", "深入", "前往", "来到", "听取", "会见", "看望", "慰问", "走访", "宣讲",
    "介绍", "说", "认为", "希望", "提出", "充分肯定", "对", "就",
)
_CJK_ONLY = re.compile(rf"^[{CJK}]+$")


@dataclass(frozen=True)
class Slip:
    written: str  # the name as written, e.g. 李铭
    start: int
    end: int
    title: object  # the TitleRun before it, or None for a bare mention
    candidates: tuple  # registered names, best first
    ambiguous: tuple  # the other candidates as good as the best (empty when the best is clear)

    @property
    def best(self):
        return self.candidates[0]


@dataclass(frozen=True)
class _Site:
    written: str
    start: int
    names: frozenset
    title: object
    verb_after: bool


def _sites_at(text, position, index):
    """Possible slips starting at `position`, longest first."""
    titled, read = None, False
    for length in index.lengths:
        written = text[position:position + length]
        if len(written) < length or not _CJK_ONLY.match(written) or written[:2] in COMMON_WORDS:
            continue
        names = index.one_off(written)
        if not names:
            continue
        if not read:
            titled = None if text[position] in NOT_A_NAME_START else title_before(text, position)
            read = True
        if titled is None:
            names = {name for name in names if written.startswith(surname(name))}
        if names:
            verb_after = text.startswith(NAME_VERBS, position + length)
            yield _Site(written, position, frozenset(names), titled, verb_after)


def scan(text, index):
    """Registered names (Mentions) and possible slips (sites) in one text."""
    mentions = index.mentions(text)
    taken = [False] * len(text)
    for mention in mentions:
        taken[mention.start:mention.end] = [True] * (mention.end - mention.start)
    sites = []
    if index.lengths:
        # A slip starts with a registered surname (bare slips keep it) or right after a title word.
        title_ends = {match.end() for match in TITLE_WORD.finditer(text)}
        for position, char in enumerate(text):
            if taken[position] or (char not in index.first_chars and position not in title_ends):
                continue
            if not ("\u4e00" <= char <= "\u9fff"):
                continue
            for site in _sites_at(text, position, index):
                if not any(taken[site.start:site.start + len(site.written)]):
                    sites.append(site)
    return mentions, sites


def _rank(site, name, index, date, mentioned):
    if site.title is None or run_fits(site.title, index.titles_at(name, date)):
        title_rank = 0
    elif run_fits(site.title, index.all_titles(name)):
        title_rank = 1
    else:
        title_rank = 2
    return (title_rank, name not in mentioned, not site.written.startswith(surname(name)))


def resolve(sites, index, date, mentioned):
    """The slips among `sites` of one text: one per place, with ranked candidates.

    `mentioned`: registered names written (correctly or as a titled slip) anywhere in the issue.
    """
    slips, free_from = [], 0
    for site in sites:
        if site.start < free_from:
            continue
        names = set(site.names)
        if site.title is not None:
            # Another surname under a title that was never theirs is someone else, not a slip.
            names = {name for name in names
                     if site.written.startswith(surname(name)) or run_fits(site.title, index.all_titles(name))}
        elif not site.verb_after:
            names &= mentioned
        if not names:
            continue
        ranked = sorted(names, key=lambda name: (_rank(site, name, index, date, mentioned), name))
        best = _rank(site, ranked[0], index, date, mentioned)
        ties = tuple(name for name in ranked[1:] if _rank(site, name, index, date, mentioned) == best)
        end = site.start + len(site.written)
        slips.append(Slip(site.written, site.start, end, site.title, tuple(ranked), ties))
        free_from = end
    return slips


def titled_names(sites, index):
    """Registered names a titled slip in these sites may stand for (they count as mentioned)."""
    return {name for site in sites if site.title is not None for name in site.names}


def closest(written, title, index, date=None):
    """The Slip `written` (not a registered name) is most likely for, after `title`; or None."""
    site = _Site(written, 0, frozenset(index.one_off(written)), title, verb_after=True)
    slips = resolve([site], index, date, mentioned=frozenset())
    return slips[0] if slips else None
