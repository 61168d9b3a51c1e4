"""Parse the text of one bulletin issue into plain dataclasses; knows nothing of the database.

The format is the old site's article text (see bulletins/fixtures/bulletin-2023-13.txt):
a title line, a 来源/时间 line, 【section】 headings, ● entries whose further paragraphs
have no ●, and page furniture (上一篇, 页面功能, …) that is dropped.
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .distribution import ParsedDistribution, split_distribution
from .errors import ImportFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")

TITLE = re.compile(r"^(?P<year>\d{4})\s*年\s*(?P<name>.*?)\s*[(（]\s*第\s*(?P<number>\d+)\s*期\s*[)）]$")
SOURCE = re.compile(r"来源\s*[:：]\s*(?P<source>.*?)\s*(?=(?:发布)?时间\s*[:：]|$)")
TIME = re.compile(r"(?:发布)?时间\s*[:：]\s*(?P<time>\S.*?)\s*$")
TIME_VALUE = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?:\s*日)?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})(?:\s*[:：分]\s*(?P<S>\d{1,2}))?)?"
)
SECTION = re.compile(r"^【\s*(?P<name>[^【】]+?)\s*】$")
ENTRY_MARK = "●"
# A leading date as written: 3月15日, 2023年3月15日, 3月17日上午, 3月15日至16日.
LEADING_DATE = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:\s*[至到—-]\s*(?:\d{1,2}月)?\d{1,2}日)?"
    r"(?:上午|下午|晚上|晚间|早上|中午|凌晨|晚)?"
)
UNDATED = re.compile(r"^(近日|日前)")
MASTHEAD_NUMBER = re.compile(r"第\s*(\d+)\s*期")
MASTHEAD_YEAR_NUMBER = re.compile(r"(\d{4})\s*年\s*第\s*(\d+)\s*期")
MASTHEAD_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

# The old site's page furniture, on a line of its own or around the article's text.
FURNITURE = {
    "页面功能", "字体大小", "宽屏阅读", "打印文本", "打印本页", "关闭窗口", "打印", "关闭", "返回顶部", "分享到",
    "字号", "字体", "大", "中", "小", "收藏", "收藏本页", "加入收藏", "返回", "返回首页", "打印此页", "关闭本页",
    "打印正文", "关闭页面", "微信", "微博", "新浪微博", "腾讯微博", "QQ空间", "QQ", "人人网", "豆瓣", "复制链接",
    "分享", "扫一扫", "手机阅读", "在手机上阅读", "默认", "T", "|", "：", ":",
}
FURNITURE_PREFIX = re.compile(
    r"^(上一篇|下一篇|浏览次数|浏览量|阅读次数|阅读量|访问量|点击数|点击量|字体\s*[:：]|【?\s*字[体号]|分享到|扫一扫)"
)
_SHARE_TARGETS = r"(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|QQ|人人网|豆瓣|复制链接)"
# Furniture inside a line: [打印本页] 【关闭窗口】, 浏览次数：356, 字号：大 中 小, 分享到：微信 微博 …
INLINE_FURNITURE = re.compile(
    r"[【\[]\s*(?:打印本页|关闭窗口|打印|关闭|返回顶部|收藏本页|加入收藏|打印此页|关闭本页|"
    r"字[体号]\s*[:：]?\s*大\s*中\s*小)\s*[】\]]"
    r"|(?:浏览次数|浏览量|阅读次数|阅读量|访问量|点击数|点击量)\s*[:：]\s*\d*\s*次?"
    r"|字[体号]\s*[:：]\s*[【\[]?\s*大\s*[|｜]?\s*中\s*[|｜]?\s*小\s*[】\]]?"
    rf"|分享到\s*[:：](?:\s*{_SHARE_TARGETS})*|分享到(?:\s*{_SHARE_TARGETS})+"
)
SPACES = "\u3000\u00a0\ufeff\u200b \t\r"


@dataclass
class Note:
    """Something the parser did but was unsure of; shown to the editor before import."""

    line: int
    message: str

    def __str__(self):
        return f"第{self.line}行：{self.message}"


@dataclass
class ParsedEntry:
    line: int
    paragraphs: list[str] = field(default_factory=list)
    date_text: str = ""
    event_date: datetime.date | None = None

    @property
    def text(self):
        return "\n".join(self.paragraphs)


@dataclass
class ParsedSection:
    name: str
    line: int
    entries: list[ParsedEntry] = field(default_factory=list)


@dataclass
class ParsedIssue:
    year: int
    number: int
    title: str
    filename: str = ""
    source: str = ""
    published_at: datetime.datetime | None = None
    masthead_date: datetime.date | None = None  # the date under the red masthead, when there is one
    distribution: ParsedDistribution | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    title_line: int = 1

    @property
    def entries(self):
        return [entry for section in self.sections for entry in section.entries]


def _is_furniture(line):
    tokens = re.split(r"[\s【】\[\]|｜/·]+", line)
    tokens = [token for token in tokens if token]
    return bool(tokens) and all(token in FURNITURE for token in tokens) or bool(FURNITURE_PREFIX.match(line))


def strip_furniture(line):
    """The line without the furniture a page template put around or after its text."""
    if INLINE_FURNITURE.search(line) is None:
        return line
    return INLINE_FURNITURE.sub("", line).strip(SPACES)


def _date_in(text):
    match = MASTHEAD_DATE.search(text)
    if not match:
        return None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_published_at(value):
    """`2023-04-06 15:59:37` (or 2023年4月6日 15:59) as an aware datetime in Asia/Shanghai."""
    match = TIME_VALUE.match(value.strip())
    if not match:
        return None
    parts = {key: int(val) if val else 0 for key, val in match.groupdict().items()}
    try:
        return datetime.datetime(
            parts["y"], parts["m"], parts["d"], parts["H"], parts["M"], parts["S"], tzinfo=SHANGHAI
        )
    except ValueError:
        return None


def read_leading_date(text, year):
    """(date_text, event_date, problem) for the start of an entry; 近日/日前 keep the word, no date."""
    undated = UNDATED.match(text)
    if undated:
        return undated.group(0), None, ""
    match = LEADING_DATE.match(text)
    if not match:
        return "", None, ""
    date_text = match.group(0)
    try:
        return date_text, datetime.date(int(match["y"] or year), int(match["m"]), int(match["d"])), ""
    except ValueError:
        return date_text, None, f"日期“{date_text}”不是有效日期，未填写事件日期。"


class _Parser:
    def __init__(self, text, filename):
        self.filename = filename
        self.lines = text.splitlines()
        self.notes = []
        self.issue = None
        self.section = None
        self.entry = None

    def fail(self, message, line=None):
        raise ImportFailed(message, filename=self.filename, line=line)

    def note(self, line, message):
        self.notes.append(Note(line, message))

    def run(self):
        numbered = [(n, strip_furniture(line.strip(SPACES))) for n, line in enumerate(self.lines, start=1)]
        numbered = [(n, line) for n, line in numbered if line]
        if not numbered:
            self.fail("文件是空的，没有任何内容。", line=1)
        rest = self.read_title(numbered)
        rest, distribution = split_distribution(rest, is_furniture=_is_furniture)
        self.issue.distribution = distribution
        if distribution is not None:
            self.note(rest[-1][0] + 1 if rest else numbered[-1][0], "末尾的版记（报、送、发、印数）已作为本期的版记导入。")
        for n, line in rest:
            self.read_line(n, line)
        if not self.issue.sections:
            last = numbered[-1][0]
            self.fail("没有找到任何栏目标题（如“【领导活动】”），请在条目前加上栏目。", line=last)
        for section in self.issue.sections:
            if not section.entries:
                self.note(section.line, f"栏目“{section.name}”下没有条目。")
            for entry in section.entries:
                if not entry.paragraphs:
                    self.note(entry.line, "“●”后面没有文字，这一条是空的。")
        self.issue.notes = self.notes
        return self.issue

    def read_title(self, numbered):
        """Find the title line; lines before it (a masthead, a site header) are skipped with a note."""
        for index, (n, line) in enumerate(numbered):
            match = TITLE.match(line)
            if match:
                self.check_title(n, line, int(match["year"]), int(match["number"]))
                self.issue = ParsedIssue(
                    year=int(match["year"]), number=int(match["number"]), title=line,
                    filename=self.filename, title_line=n,
                )
                if index:
                    self.note(numbered[0][0], f"标题之前的{index}行（红头或网页页眉）已略过。")
                    self.issue.masthead_date = _date_in(" ".join(line for _, line in numbered[:index]))
                return numbered[index + 1:]
            if SECTION.match(line) and not _is_furniture(line) or line.startswith(ENTRY_MARK):
                return self.title_from_masthead(numbered, index)
        return self.title_from_masthead(numbered, len(numbered))

    def check_title(self, n, title, year, number):
        """What the database would refuse, said here with the line it comes from."""
        if not 1949 <= year <= 2100:
            self.fail(f"标题中的年份{year}不对，应在1949至2100之间。", line=n)
        if number < 1:
            self.fail("标题中的期号应从1开始。", line=n)
        if len(title) > 200:
            self.fail("标题超过200字，请检查第一行是否把正文也写进了标题。", line=n)

    def title_from_masthead(self, numbered, end):
        """A Word 简报 may have only a red masthead: 第N期 and the date, no title line."""
        head = " ".join(line for _, line in numbered[:end])
        year_number = MASTHEAD_YEAR_NUMBER.search(head)
        number = MASTHEAD_NUMBER.search(head)
        date = MASTHEAD_DATE.search(head)
        if not (year_number or number and date) or end == 0:
            self.fail(
                "没有找到标题行。第一行应是标题，如“2023年文明城市创建(第13期)”。", line=numbered[0][0]
            )
        year, number = (year_number.group(1), year_number.group(2)) if year_number else (date.group(1), number.group(1))
        self.check_title(numbered[0][0], "", int(year), int(number))
        self.issue = ParsedIssue(
            year=int(year), number=int(number), title="", filename=self.filename, title_line=numbered[0][0],
            masthead_date=_date_in(head),
        )
        self.note(
            numbered[0][0],
            f"没有标题行，按红头识别为{self.issue.year}年第{self.issue.number}期，标题将按站点设置生成。",
        )
        return numbered[end:]

    def read_line(self, n, line):
        if _is_furniture(line):
            return
        if self.read_header(n, line):
            return
        section = SECTION.match(line)
        if section:
            if len(section["name"]) > 30:
                self.fail(f"栏目名称“{section['name'][:30]}…”超过30字，请检查【】是否配对。", line=n)
            self.section = ParsedSection(name=section["name"], line=n)
            self.issue.sections.append(self.section)
            self.entry = None
            return
        if line.startswith(ENTRY_MARK):
            self.start_entry(n, line[len(ENTRY_MARK):].strip(SPACES))
            return
        if self.entry is not None:
            if not self.entry.paragraphs:  # "●" alone on its line, the text on the next
                self.date_entry(self.entry, n, line)
            self.entry.paragraphs.append(line)
        elif self.section is not None:
            self.note(n, "这一段前面没有“●”，已作为新条目。")
            self.start_entry(n, line)
        else:
            self.note(n, f"栏目之前的文字已略过：“{line[:30]}”。")

    def read_header(self, n, line):
        if self.section is not None or not re.match(r"^(来源|(发布)?时间)\s*[:：]", line):
            return False
        source = SOURCE.search(line)
        if source:
            self.issue.source = source["source"][:100]
        time = TIME.search(line)
        if time:
            self.issue.published_at = parse_published_at(time["time"])
            if self.issue.published_at is None:
                self.note(n, f"发布时间“{time['time']}”无法识别，未填写。")
        return True

    def start_entry(self, n, text):
        if self.section is None:
            self.fail("条目（●）出现在任何栏目之前，请先写栏目标题，如“【领导活动】”。", line=n)
        self.entry = ParsedEntry(line=n, paragraphs=[text] if text else [])
        self.date_entry(self.entry, n, text)
        self.section.entries.append(self.entry)

    def date_entry(self, entry, n, text):
        entry.date_text, entry.event_date, problem = read_leading_date(text, self.issue.year)
        if problem:
            self.note(n, problem)
        published = self.issue.published_at
        if entry.event_date and published and entry.event_date > published.date():
            self.note(n, f"事件日期{entry.event_date:%Y-%m-%d}晚于发布时间，请核对年份。")


def parse_text(text, *, filename=""):
    """Parse one issue's text; raises ImportFailed (Chinese, with file and line) when malformed."""
    return _Parser(text, filename).run()
