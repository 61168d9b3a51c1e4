"""Server-side sanitising of entry HTML: whatever the editor sent, only this survives.

nh3 (html5ever) slows down with the square of the nesting depth, so a body is measured
first, in one linear pass, and refused above MAX_BODY_CHARS or MAX_BODY_DEPTH; only a
body within both limits reaches nh3. Every path that stores an entry body goes through
`sanitize_html` (Entry.save), and the entry forms call `check_body` for a form error.

What nh3 returns is measured again: the parser can grow a body. It re-opens a formatting
element (a, b, strong, …) left open inside a closed block in every later block, with its
attributes, so 50 KB became 50 MB. Hence attributes are bounded as they are written out
(`_AttributeBounds`: no `title`, at most MAX_ATTRIBUTE_CHARS a value and MAX_BODY_CHARS in
all, spans clamped), and the output is refused over MAX_BODY_CHARS or over MAX_GROWTH times
the input; its depth needs no second look (the input's count bounds it, see `nesting_depth`).
The work before that refusal is bounded too: at most one `a` is re-opened at a time (a new
`a` closes the old one), the others carry no attribute that survives, and the depth check
keeps fewer than MAX_BODY_DEPTH of them open; so one 50 KB body makes at most a few MB of
markup before it is refused (measured: docs/benchmarks-sanitize.md).
"""

import html
import re

import nh3
from django.core.exceptions import ValidationError

# A real entry is a few hundred to a few thousand characters (a whole issue about 3 000), nested three to six deep
# (table > tbody > tr > td > p > strong). Both limits are far above that; see the README.
MAX_BODY_CHARS = 50_000
MAX_BODY_DEPTH = 50
# Sanitising escapes text and adds end tags and rel="noopener noreferrer" (a bare <a> is 3 characters in,
# 33 out); a body that grows more than this was grown by the parser re-opening unclosed formatting.
MAX_GROWTH = 12
# An address or alternative text is a few hundred characters; longer ones are refused, not cut.
MAX_ATTRIBUTE_CHARS = 2_000
# A real 简报 table has a handful of columns and at most a few dozen rows.
MAX_COLSPAN = 20
MAX_ROWSPAN = 100

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "h3", "h4", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    # Empty, else ammonia keeps `lang` and `title` on every tag; a title re-opened with its unclosed
    # <a> or <b> in every later block turned 50 KB into 50 MB.
    "*": set(),
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with their text: none of it was meant to be read as part of the entry.
REMOVED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "form", "noscript", "noembed", "noframes",
    "textarea", "button", "select", "option", "optgroup", "template", "title", "xmp",
}

# Elements that never hold children.
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "image", "input", "keygen", "link",
    "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame",
})
# Elements the parser inserts when a table is written without them, outermost first: a start tag
# gets each (implied element, unless the innermost open element is one of these) in turn.
_ROW_GROUPS = ("tbody", "thead", "tfoot", "*tbody")
_IMPLIED = {
    "tr": [("*tbody", _ROW_GROUPS)],
    "td": [("*tbody", (*_ROW_GROUPS, "tr", "*tr")), ("*tr", ("tr", "*tr"))],
    "th": [("*tbody", (*_ROW_GROUPS, "tr", "*tr")), ("*tr", ("tr", "*tr"))],
    "col": [("*colgroup", ("colgroup", "*colgroup"))],
}
# Every tag as the HTML tokenizer starts one: "<" or "</" and an ASCII letter.
_TAG_START = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")

_BLOCK_END = re.compile(r"</(p|li|h3|h4|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class BodyRejected(ValidationError):
    """An entry body too long or too deeply nested to be sanitised safely."""


def nesting_depth(value, *, stop_above=None):
    """The deepest nesting of elements in `value`, in one linear pass; never less than a parser builds.

    Only an end tag that closes the innermost open element closes anything here. An HTML parser
    closes more (implied and misnested end tags) but never less, and what it reopens (formatting
    elements after a misnested end tag) it had closed first; so a body that is well formed, as
    CKEditor writes it, counts its real depth and any other counts at least that. The parser
    also adds elements: a table row without its tbody, a cell without its row (counted here as
    implied, closed with their table), and `</p>` alone, an empty paragraph (one level more).
    Stops early once the depth exceeds `stop_above`.
    """
    stack = []
    deepest = 0
    for closing, name in _TAG_START.findall(value.lower()):
        if closing:
            if _close(stack, name):
                continue
            depth = len(stack) + 1
        elif name in _VOID:
            continue
        else:
            for implied, present in _IMPLIED.get(name, ()):
                if not stack or stack[-1] not in present:
                    stack.append(implied)
            stack.append(name)
            depth = len(stack)
        if depth > deepest:
            deepest = depth
            if stop_above is not None and deepest > stop_above:
                return deepest
    return deepest


def _close(stack, name):
    """Pop the element `name` if it is the innermost (above it at most the parser's implied ones)."""
    top = len(stack) - 1
    if top >= 0 and stack[top] in (name, "*" + name):
        stack.pop()
        return True
    while top >= 0 and stack[top].startswith("*"):
        top -= 1
    if top >= 0 and top < len(stack) - 1 and stack[top] == name:
        del stack[top:]
        return True
    return False


def check_body(value):
    """Refuse, with a message saying what to fix, a body over a limit before or after sanitising."""
    sanitize_html(value)


def _check_input(value):
    if len(value) > MAX_BODY_CHARS:
        raise BodyRejected(
            f"条目正文过长（{len(value)}字符，超过{MAX_BODY_CHARS}字符），请删减内容或拆分为几个条目。",
            code="body_too_long",
        )
    if nesting_depth(value, stop_above=MAX_BODY_DEPTH) > MAX_BODY_DEPTH:
        raise BodyRejected(
            f"条目正文嵌套层级过深（超过{MAX_BODY_DEPTH}层），请去掉多余的嵌套格式（如层层套用的列表、加粗）后再保存。",
            code="body_too_deep",
        )


class _AttributeBounds:
    """nh3's attribute filter: spans clamped, over-long values dropped and the body refused after.

    It sees every attribute as it is written out, clones included, so the values it keeps add up
    to at most MAX_BODY_CHARS whatever the parser copied.
    """

    def __init__(self):
        self.budget = MAX_BODY_CHARS
        self.too_long = False

    def __call__(self, element, attribute, value):
        if attribute in ("colspan", "rowspan"):
            limit = MAX_COLSPAN if attribute == "colspan" else MAX_ROWSPAN
            if value.isascii() and value.isdigit() and 0 < len(value) < 8 and int(value) > 0:
                return str(min(int(value), limit))
            return None
        self.budget -= len(value)
        if len(value) > MAX_ATTRIBUTE_CHARS or self.budget < 0:
            self.too_long = self.too_long or len(value) > MAX_ATTRIBUTE_CHARS
            return None
        return value


def sanitize_html(value):
    """Keep the allowlisted tags and attributes; drop scripts, styles, handlers, unsafe URLs.

    Raises BodyRejected (a ValidationError) for a body over the limits: before nh3 sees it, and
    again for what nh3 made of it (see the module's docstring).
    """
    value = value or ""
    _check_input(value)
    bounds = _AttributeBounds()
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=bounds,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        clean_content_tags=REMOVED_WITH_CONTENT,
        strip_comments=True,
    ).strip()
    if bounds.too_long:
        raise BodyRejected(
            f"条目正文中的链接地址、图片地址或图片说明过长（超过{MAX_ATTRIBUTE_CHARS}字符），请缩短后再保存。",
            code="attribute_too_long",
        )
    if len(cleaned) > MAX_BODY_CHARS or len(cleaned) > MAX_GROWTH * len(value) or bounds.budget < 0:
        raise BodyRejected(
            f"条目正文整理后过长（{len(value)}字符整理后成为{len(cleaned)}字符，上限是{MAX_BODY_CHARS}字符、"
            f"原文的{MAX_GROWTH}倍）。常见原因是加粗、链接等格式没有闭合，在后面每一段中被重复；"
            "请闭合这些格式，或删减内容、拆分为几个条目。",
            code="body_grows",
        )
    # No second depth check: the input's count is never below the depth of the tree nh3 builds
    # (re-opened elements included), so the output is within MAX_BODY_DEPTH; the tests check both.
    return cleaned


def html_to_text(value):
    """Plain text of sanitised HTML, one paragraph per line, for search and matching."""
    text = _BLOCK_END.sub("\n", value or "")
    text = html.unescape(_TAG.sub("", text))
    return _BLANK_LINES.sub("\n", text).strip()


def paragraphs_to_html(paragraphs):
    """Wrap plain-text paragraphs (as imported) into escaped <p> elements."""
    return "".join(f"<p>{html.escape(p.strip(), quote=False)}</p>" for p in paragraphs if p.strip())


def single_line(value):
    """A title as one line: each run of control characters (CR, LF, tab, …) becomes one space.

    A title goes into mail subjects, where a line break makes Django refuse the header.
    """
    return _CONTROL.sub(" ", value or "").strip()
