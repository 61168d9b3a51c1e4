"""Turn a .txt, .docx or .html file into the text the parser reads."""

import io
import re
import zipfile
from pathlib import Path

from .errors import ImportFailed
from .parser import ENTRY_MARK, SECTION, TITLE, parse_text

SUFFIXES = (".txt", ".docx", ".html", ".htm")

# Elements of a government article page that are never the article.
HTML_FURNITURE_TAGS = ["script", "style", "noscript", "head", "nav", "header", "footer", "form", "iframe", "button"]
# A class or id token naming page furniture: nav, site-header, share-box, footer_2 — but not
# utility classes such as position-relative.
HTML_FURNITURE_CLASS = re.compile(
    r"^(?:[a-z]+[-_])?(?:nav|navbar|menu|breadcrumbs?|crumbs?|header|footer|sidebar|share|position|location|topbar)"
    r"(?:[-_]?(?:box|wrap|wrapper|bar|con|list|nav|main|\d+))?$",
    re.IGNORECASE,
)
# Share widgets (Baidu's bdsharebuttonbox, JiaThis, bShare, …) whatever their exact class.
HTML_SHARE_CLASS = re.compile(r"share|jiathis", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# GB2312 and GBK pages often hold characters only their superset GB18030 decodes (a name's rare character).
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "euc-cn": "gb18030"}
HTML_BLOCK_TAGS = [
    "p", "div", "section", "article", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "ul", "ol", "blockquote", "dd", "dt",
]


def decode_text(data, *, filename=""):
    """UTF-8 (with or without BOM) only; anything else is refused, naming the line that fails."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed(
            "不是UTF-8编码的文本，无法读取。请用记事本或WPS“另存为”UTF-8编码后再导入。", filename=filename, line=line
        ) from None


def _docx_paragraphs(document):
    """Body paragraphs in reading order, including those in tables (a masthead is often a table)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            seen = set()
            for row in Table(child, document).rows:
                for cell in row.cells:
                    # Merged cells repeat the same element. The elements themselves are kept, not their
                    # id(): lxml's proxy of a cell already passed may be freed and its id() reused by
                    # another cell's, which then went missing now and then (the 版记's last row, say).
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from cell.paragraphs


def docx_to_text(data, *, filename=""):
    """The paragraphs of a Word 简报, one per line; list bullets become ●, headings 【…】."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFailed("不是有效的Word（.docx）文件，请用Word或WPS打开后另存为.docx再导入。", filename=filename) from None
    lines = []
    for paragraph in _docx_paragraphs(document):
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        is_list = "List" in style or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        if is_list and not text.startswith(ENTRY_MARK):
            text = ENTRY_MARK + text
        elif style.startswith("Heading") and not (TITLE.match(text) or SECTION.match(text)):
            text = f"【{text}】"
        lines.append(text)
    return "\n".join(lines)


def decode_html(data):
    """A saved page as text: its <meta charset> (GB2312/GBK read as GB18030), else UTF-8, else GB18030."""
    if isinstance(data, str):
        return data
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace")
    declared = META_CHARSET.search(data[:8192])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(CHARSET_ALIASES.get(name, name), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _is_furniture(tag):
    if tag.name in HTML_FURNITURE_TAGS:
        return True
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    names = [*classes, " ".join(classes)]
    return any(
        name and (HTML_FURNITURE_CLASS.search(name) or HTML_SHARE_CLASS.search(name)) for name in names
    ) or bool(HTML_FURNITURE_CLASS.search(tag.get("id") or ""))


def _article_text(root):
    """The text under `root` without furniture, a line break around each block and at each <br>.

    An explicit stack rather than recursion or bs4's insert_before/after (which rescan the
    subtree each time): one pass, linear in the page however deeply it nests.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    parts = []
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag):
            if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
                parts.append(str(node))
            elif node == "\n":  # the closing marker of a block, pushed below
                parts.append(node)
            continue
        if node is not root and _is_furniture(node):
            continue
        if node.name == "br":
            parts.append("\n")
            continue
        block = node.name in HTML_BLOCK_TAGS
        if block:
            parts.append("\n")
            stack.append("\n")
        stack.extend(reversed(node.contents))
    return "".join(parts)


def html_to_text(data, *, filename=""):
    """The article text of a saved page of the old site, without its header, navigation and footer."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_html(data), "lxml")
    text = _article_text(soup.body or soup)
    lines = [line.strip("\u3000\u00a0 \t\r") for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ImportFailed("网页中没有找到正文。", filename=filename)
    # The page starts with site furniture; the article starts at its title.
    for index, line in enumerate(lines):
        if TITLE.match(line):
            return "\n".join(lines[index:])
    return "\n".join(lines)


def extract_text(data, *, filename):
    """The bulletin text of an uploaded or stored file, by its suffix."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".txt":
        return decode_text(data, filename=filename)
    if suffix == ".docx":
        return docx_to_text(data, filename=filename)
    if suffix in (".html", ".htm"):
        return html_to_text(data, filename=filename)
    raise ImportFailed(f"不支持“{suffix or '无后缀'}”文件，请上传 .txt、.docx 或 .html 文件。", filename=filename)


def parse_file(path):
    """Read and parse one file; raises ImportFailed naming it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailed(f"无法读取文件：{error.strerror}", filename=str(path)) from None
    return parse_text(extract_text(data, filename=str(path)), filename=str(path))
