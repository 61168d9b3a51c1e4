"""An issue as a Word (.docx) 简报: red masthead, red rule, 【section】 headings and ● entries.

Built with python-docx on A4 with the margins of the government document standard
(GB/T 9704); Chinese fonts are named through `w:eastAsia` so Word and WPS both pick them up.
"""

import io
import re

from bs4 import BeautifulSoup, NavigableString
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bulletins.models import SiteSettings

RED = RGBColor(0xFF, 0x00, 0x00)
MASTHEAD_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
BODY_SIZE = Pt(16)  # 三号
MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_BLOCKS = {"p", "li", "h3", "h4", "blockquote", "tr"}
_CONTAINERS = {"ul", "ol", "table", "thead", "tbody"}
_BOLD, _ITALIC, _UNDERLINE = {"strong", "b", "h3", "h4"}, {"em", "i"}, {"u"}
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
# What may follow <w:pBdr> inside <w:pPr> (ECMA-376 order; Word rejects elements out of order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def filename(issue):
    return f"{issue.year}年第{issue.number}期.docx"


def _set_font(target, name):
    """Name a font for Latin and East Asian text alike (python-docx's font.name sets Latin only)."""
    target.font.name = name
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _red_rule(paragraph):
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "18", "w:space": "4", "w:color": "FF0000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    pPr.insert_element_before(borders, *_AFTER_PBDR)


class _HtmlParagraphs:
    """Entry HTML as paragraphs of (text, bold, italic, underline) runs; simple formatting kept."""

    def __init__(self, html):
        self.paragraphs, self.current = [], []
        self._walk(BeautifulSoup(html or "", "html.parser"), frozenset())
        self._flush()

    def _flush(self):
        if any(text.strip() for text, *_ in self.current):
            self.paragraphs.append(self.current)
        self.current = []

    def _walk(self, node, style):
        for child in node.children:
            if isinstance(child, NavigableString):
                text = _LINE_BREAKS.sub("", str(child))
                if text:
                    self.current.append((text, "b" in style, "i" in style, "u" in style))
                continue
            name = child.name
            if name == "br":
                self._flush()
            elif name == "img":
                alt = (child.get("alt") or "").strip()
                self.current.append((f"［图片{'：' + alt if alt else ''}］", False, False, False))
            elif name in _BLOCKS:
                self._flush()
                self._walk(child, style | ({"b"} if name in _BOLD else set()))
                self._flush()
            elif name in _CONTAINERS:
                self._flush()
                self._walk(child, style)
                self._flush()
            elif name in ("td", "th"):
                self._walk(child, style | ({"b"} if name == "th" else set()))
                self.current.append(("　", False, False, False))
            else:
                extra = {"b"} if name in _BOLD else {"i"} if name in _ITALIC else {"u"} if name in _UNDERLINE else set()
                self._walk(child, style | extra)


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    return section


def _styles(document):
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)


def _masthead(document, issue, site, text_width):
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.line_spacing = 1.0
    name.paragraph_format.space_after = Pt(12)
    run = name.add_run(site.bulletin_name)
    _set_font(run, MASTHEAD_FONT)
    run.font.size, run.font.bold, run.font.color.rgb = Pt(42), True, RED

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_after = Pt(12)
    number.add_run(f"第{issue.number}期")

    date = timezone.localdate(issue.dated_at) if issue.dated_at else timezone.localdate()
    office = document.add_paragraph()
    office.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    office.add_run(f"{site.issuing_office}\t{date.year}年{date.month}月{date.day}日")
    _red_rule(office)
    document.add_paragraph()


def _entries(document, issue):
    section_id = None
    for entry in issue.entries.select_related("section").order_by("section__order", "section_id", "order", "id"):
        if entry.section_id != section_id:
            section_id = entry.section_id
            heading = document.add_paragraph()
            heading.paragraph_format.space_before = Pt(12)
            run = heading.add_run(f"【{entry.section.name}】")
            _set_font(run, HEADING_FONT)
        paragraphs = _HtmlParagraphs(entry.body).paragraphs or [[("", False, False, False)]]
        for index, runs in enumerate(paragraphs):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
            if index == 0:
                paragraph.add_run("●")
            for text, bold, italic, underline in runs:
                run = paragraph.add_run(text)
                run.bold, run.italic, run.underline = bold or None, italic or None, underline or None


def issue_to_docx(issue):
    """The issue as the bytes of a .docx file."""
    site = SiteSettings.load()
    document = Document()
    section = _page_setup(document)
    _styles(document)
    document.core_properties.title = str(issue)
    document.core_properties.author = site.issuing_office
    _masthead(document, issue, site, section.page_width - section.left_margin - section.right_margin)
    _entries(document, issue)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
