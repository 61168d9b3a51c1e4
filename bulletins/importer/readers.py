"""Turn a .txt, .docx or .html file into the text the parser reads."""

import io
import re
import zipfile
from pathlib import Path

from .archive import check_zip
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


# A 简报 is a few hundred paragraphs; a Word file of many more is refused while it is read.
MAX_DOCX_PARAGRAPHS = 5_000


def _docx_paragraphs(document):
    """Body paragraphs in reading order, including those in tables (a masthead is often a table).

    A table is walked as XML, each cell once, in one pass. python-docx's `row.cells` yields a
    merged cell once per grid column it spans (a gridSpan of two billion, two billion times) and
    finds a vertically merged cell by climbing row by row (quadratic and recursive); the cell
    under a vertical merge is read as itself, usually empty.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    paragraph, table, row, cell = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
    for child in document.element.body.iterchildren(paragraph, table):
        if child.tag == paragraph:
            yield Paragraph(child, document)
            continue
        for tr in child.iterchildren(row):
            for tc in tr.iterchildren(cell):
                for p in tc.iterchildren(paragraph):
                    yield Paragraph(p, document)


def _open_docx(data, *, filename):
    """The document and its paragraph styles' names by id, or ImportFailed; the archive is checked first.

    The names are read once: python-docx finds a paragraph's style by walking every style, which
    made 200,000 tiny paragraphs cost 42 s.
    """
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_zip(data, filename=filename)
    try:
        document = Document(io.BytesIO(data))
        names, default = _paragraph_style_names(document.styles.element)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, XMLSyntaxError):
        raise ImportFailed("不是有效的Word（.docx）文件，请用Word或WPS打开后另存为.docx再导入。", filename=filename) from None
    return document, names, default


def _paragraph_style_names(styles):
    """{style id: name as Word shows it} of the paragraph styles, and the default one's name, in one pass.

    Read from the XML: python-docx's style objects cost 30 µs each, and a file may hold tens of thousands.
    """
    from docx.oxml.ns import qn
    from docx.styles import BabelFish

    names, default = {}, ""
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type"), "paragraph") != "paragraph":
            continue
        name = style.find(qn("w:name"))
        name = BabelFish.internal2ui(name.get(qn("w:val"), "")) if name is not None else ""
        names[style.get(qn("w:styleId"))] = name
        if style.get(qn("w:default")) in ("1", "true", "on"):
            default = name  # the last one counts, as in python-docx
    return names, default


def docx_to_text(data, *, filename=""):
    """The paragraphs of a Word 简报, one per line; list bullets become ●, headings 【…】."""
    document, style_names, default_style = _open_docx(data, filename=filename)
    lines = []
    for count, paragraph in enumerate(_docx_paragraphs(document), start=1):
        if count > MAX_DOCX_PARAGRAPHS:
            raise ImportFailed(
                f"Word文件的段落过多（超过{MAX_DOCX_PARAGRAPHS}段），请删去空段落或拆分为几个文件。", filename=filename
            )
        text = paragraph.text.strip()
        if not text:
            continue
        p = paragraph._p
        style = style_names.get(p.style, default_style)
        is_list = "List" in style or p.pPr is not None and p.pPr.numPr is not None
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
