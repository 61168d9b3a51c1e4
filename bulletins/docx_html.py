"""An entry's HTML read as Word paragraphs: runs of (text, bold, italic, underline), and pictures."""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString

_BLOCKS = {"p", "li", "h3", "h4", "blockquote", "tr"}
_CONTAINERS = {"ul", "ol", "table", "thead", "tbody"}
_BOLD, _ITALIC, _UNDERLINE = {"strong", "b", "h3", "h4"}, {"em", "i"}, {"u"}
_LINE_BREAKS = re.compile(r"[\r\n\t]+")


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str


class HtmlParagraphs:
    """Entry HTML as paragraphs: lists of (text, bold, italic, underline) runs, or a Picture.

    The walk keeps its own stack instead of recursing, so no nesting depth can exhaust
    Python's recursion limit (a thousand nested <b> survive the sanitiser).
    """

    _FLUSH, _CELL_GAP = object(), object()

    def __init__(self, html):
        self.paragraphs, self.current = [], []
        self._walk(BeautifulSoup(html or "", "html.parser"))
        self._flush()

    def _flush(self):
        if any(text.strip() for text, *_ in self.current):
            self.paragraphs.append(self.current)
        self.current = []

    def _walk(self, root):
        stack = [(child, frozenset()) for child in reversed(list(root.children))]
        while stack:
            node, style = stack.pop()
            if node is self._FLUSH:
                self._flush()
            elif node is self._CELL_GAP:
                self.current.append(("　", False, False, False))
            elif isinstance(node, NavigableString):
                text = _LINE_BREAKS.sub("", str(node))
                if text:
                    self.current.append((text, "b" in style, "i" in style, "u" in style))
            else:
                stack.extend(self._visit(node, style))

    def _visit(self, node, style):
        """What to push for an element: its children (reversed) with markers around them."""
        name = node.name
        children = [(child, style | self._style_of(name)) for child in reversed(list(node.children))]
        if name == "br":
            self._flush()
            return []
        if name == "img":
            self._flush()
            self.paragraphs.append(Picture(node.get("src") or "", (node.get("alt") or "").strip()))
            return []
        if name in _BLOCKS or name in _CONTAINERS:
            self._flush()
            return [(self._FLUSH, style), *children]
        if name in ("td", "th"):
            return [(self._CELL_GAP, style), *children]
        return children

    @staticmethod
    def _style_of(name):
        if name in _BOLD or name == "th":
            return {"b"}
        return {"i"} if name in _ITALIC else {"u"} if name in _UNDERLINE else set()
