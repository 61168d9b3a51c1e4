"""An issue as a Word (.docx) 简报: red masthead, 【section】 headings, ● entries, pictures, 版记.

The part of bulletins/export_docx.py that runs in the render box (bulletins/render_box.py): it
needs no Django settings, database or storage, only the `Paper` read beforehand.

Built with python-docx on A4 with the type area of GB/T 9704 (the same measures as
static/css/paper.css): margins 37 / 35 / 28 / 26 mm, body 仿宋 3号 at a fixed 28 pt line,
page numbers "— N —" as PAGE fields, odd pages right and even pages left, and the 版记
as a ruled table after the last entry. Chinese fonts are named through `w:eastAsia` so Word,
WPS and LibreOffice all pick them up.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from PIL import Image, UnidentifiedImageError

from bulletins.docx_html import HtmlParagraphs, Picture
from bulletins.media import picture_key

RED = RGBColor(0xFF, 0x00, 0x00)
MASTHEAD_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
CAPTION_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
SMALL_SIZE = Pt(14)  # 四号: 版记, captions, page numbers
PICTURE_MAX_HEIGHT = Cm(12)
WORD_PICTURE_FORMATS = {"PNG", "JPEG", "GIF", "BMP"}

# What may follow <w:pBdr> inside <w:pPr> (ECMA-376 order; Word rejects elements out of order).
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


@dataclass(frozen=True)
class Paper:
    """What the document shows, read from the database and the storage by export_docx."""

    title: str
    year: int
    number: int
    date: datetime.date  # under the masthead
    bulletin_name: str
    issuing_office: str
    signer_name: str = ""
    internal_marking: bool = False
    distribution: list = field(default_factory=list)  # the 版记's lines: (label, text)
    print_run: int | None = None
    entries: list = field(default_factory=list)  # (section id, section name, body HTML), in order
    pictures: dict = field(default_factory=dict)  # {media.picture_key(src): bytes}


def _set_font(target, name):
    """Name a font for Latin and East Asian text alike (python-docx's font.name sets Latin only)."""
    target.font.name = name
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _borders(paragraph, **sides):
    """Rules on the paragraph: side=(size in eighths of a point, colour), e.g. bottom=(18, "FF0000")."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "bottom", "between"):
        if side in sides:
            size, color = sides[side]
            rule = OxmlElement(f"w:{side}")
            for key, value in {"w:val": "single", "w:sz": str(size), "w:space": "1", "w:color": color}.items():
                rule.set(qn(key), value)
            borders.append(rule)
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)


def _red_rule(paragraph):
    _borders(paragraph, bottom=(18, "FF0000"))


def _page_setup(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.footer_distance = Cm(2.2)  # the number's line starts about 7 mm below the type area
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


def _page_field(paragraph):
    """A PAGE field: Word, WPS and LibreOffice put each page's own number in it."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    return run


def _page_numbers(document, section):
    """— N — at the foot: odd pages on the right, even pages on the left, one character in."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, alignment, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        setattr(paragraph.paragraph_format, indent, SMALL_SIZE)
        paragraph.add_run("— ")
        _page_field(paragraph)
        paragraph.add_run(" —")
        for run in paragraph.runs:
            _set_font(run, PAGE_NUMBER_FONT)
            run.font.size = SMALL_SIZE


def _masthead(document, paper, text_width):
    if paper.internal_marking:
        marking = document.add_paragraph()
        _set_font(marking.add_run("内部资料　注意保存"), HEADING_FONT)
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.line_spacing = 1.0
    name.paragraph_format.space_after = Pt(12)
    run = name.add_run(paper.bulletin_name)
    _set_font(run, MASTHEAD_FONT)
    run.font.size, run.font.bold, run.font.color.rgb = Pt(42), True, RED

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_after = Pt(12)
    number.add_run(f"{paper.year}年第{paper.number}期")
    if paper.signer_name:
        signer = document.add_paragraph()
        signer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signer.paragraph_format.right_indent = BODY_SIZE
        signer.add_run(f"签发人：{paper.signer_name}")

    date = paper.date
    office = document.add_paragraph()
    office.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    office.add_run(f"{paper.issuing_office}\t{date.year}年{date.month}月{date.day}日")
    _red_rule(office)
    document.add_paragraph()


def _picture(document, picture, pictures, text_width):
    """The picture centred at most the type area's width, its alt text as a caption below."""
    data = pictures.get(picture_key(picture.src))
    size = None
    if data is not None:
        try:
            with Image.open(io.BytesIO(data)) as image:
                size = image.size
                if image.format not in WORD_PICTURE_FORMATS:
                    converted = io.BytesIO()
                    image.convert("RGBA" if "A" in image.getbands() else "RGB").save(converted, "PNG")
                    data = converted.getvalue()
        except (UnidentifiedImageError, OSError, ValueError):
            size = None
    if size is None:
        document.add_paragraph().add_run(f"［图片{'：' + picture.alt if picture.alt else ''}］")
        return
    width = min(int(text_width), Emu(int(size[0] * 914400 / 96)))  # 96 dpi, never wider than the type area
    height = int(width * size[1] / size[0])
    if height > PICTURE_MAX_HEIGHT:
        width, height = int(width * PICTURE_MAX_HEIGHT / height), int(PICTURE_MAX_HEIGHT)
    holder = document.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.line_spacing = 1.0
    holder.add_run().add_picture(io.BytesIO(data), width=Emu(width), height=Emu(height))
    if picture.alt:
        holder._p.xpath(".//wp:docPr")[0].set("descr", picture.alt)
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = caption.add_run(picture.alt)
        _set_font(run, CAPTION_FONT)
        run.font.size = SMALL_SIZE


def _entries(document, paper, text_width):
    section_id = None
    for entry_section_id, section_name, body in paper.entries:
        if entry_section_id != section_id:
            section_id = entry_section_id
            heading = document.add_paragraph()
            heading.paragraph_format.space_before = Pt(12)
            run = heading.add_run(f"【{section_name}】")
            _set_font(run, HEADING_FONT)
        paragraphs = HtmlParagraphs(body).paragraphs or [[("", False, False, False)]]
        marked = False
        for item in paragraphs:
            if isinstance(item, Picture):
                _picture(document, item, paper.pictures, text_width)
                continue
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
            if not marked:
                paragraph.add_run("●")
                marked = True
            for text, bold, italic, underline in item:
                run = paragraph.add_run(text)
                run.bold, run.italic, run.underline = bold or None, italic or None, underline or None


def _table_rules(table, width):
    """Only horizontal rules: thick above and below, thin between the lines.

    The table stays in the text flow: a table floated to the page foot (w:tblpPr) lands on the
    text in LibreOffice, so the 版记 follows the last entry after a blank line instead.
    """
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6), ("insideV", 0)):
        rule = OxmlElement(f"w:{side}")
        rule.set(qn("w:val"), "single" if size else "nil")
        if size:
            rule.set(qn("w:sz"), str(size))
            rule.set(qn("w:space"), "0")
            rule.set(qn("w:color"), "000000")
        borders.append(rule)
    tblPr.append(borders)
    table.autofit = False
    table.columns[0].width = width
    for cell in table.columns[0].cells:
        cell.width = width


def _distribution(document, paper, text_width):
    """The 版记 at the foot of the last page: 报/送/发 lines and the print run between rules."""
    lines = [f"{label}：{text}" for label, text in paper.distribution]
    if paper.print_run:
        lines.append(f"（共印{paper.print_run}份）")
    if not lines:
        return
    document.add_paragraph()
    table = document.add_table(rows=len(lines), cols=1)
    _table_rules(table, text_width)
    for index, text in enumerate(lines):
        paragraph = table.cell(index, 0).paragraphs[0]
        paragraph.paragraph_format.line_spacing = Pt(24)
        paragraph.paragraph_format.first_line_indent = 0
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = SMALL_SIZE
        if index == len(lines) - 1 and paper.print_run:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.add_run(text).font.size = SMALL_SIZE
    document.add_paragraph().paragraph_format.line_spacing = Pt(1)  # Word wants a paragraph after a table


def write_docx(paper):
    """The bytes of the .docx file of `paper`."""
    document = Document()
    section = _page_setup(document)
    _styles(document)
    document.core_properties.title = paper.title
    document.core_properties.author = paper.issuing_office
    text_width = section.page_width - section.left_margin - section.right_margin
    _page_numbers(document, section)
    _masthead(document, paper, text_width)
    _entries(document, paper, text_width)
    _distribution(document, paper, text_width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
