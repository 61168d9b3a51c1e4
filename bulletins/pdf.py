"""An issue as a PDF 简报, rendered by WeasyPrint from the print layout, in the render box.

The HTML is the print view's sheet (templates/bulletins/_issue_print_article.html, from the signed
snapshot of a published issue) and the CSS is
static/css/paper.css, so the PDF and the printed page are one layout. WeasyPrint embeds
subsets of the real fonts with their ToUnicode maps, so the Chinese text stays selectable
and searchable. It fetches nothing from the network: pictures come from the default storage.

WeasyPrint runs in bulletins/render_box.py's child processes (bulletins/pdf_writer.py), never in
the worker: here the HTML, the stylesheet and the pictures are read. A published issue's PDF is
rendered once per signed snapshot and kept in the default storage (`published_pdf`).
"""

import functools
import hashlib

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from . import render_box
from .media import read_pictures
from .models import SiteSettings

MIME_TYPE = "application/pdf"
STYLESHEET = "css/paper.css"
TEMPLATE = "bulletins/issue_pdf.html"
STORED_UNDER = "pdf"  # folder of the published PDFs in the default storage
REFUSAL_SECONDS = 3600  # a published PDF over a limit is not tried again for this long


def filename(issue):
    return f"{issue.year}年第{issue.number}期.pdf"


@functools.cache  # static files change with a deploy, i.e. a new process
def _stylesheet():
    with open(finders.find(STYLESHEET), encoding="utf-8") as handle:
        return handle.read()


@functools.cache
def _layout():
    """A fingerprint of the layout (stylesheet and template): a deploy that changes it renders anew."""
    template = get_template(TEMPLATE).template.source
    return hashlib.sha256((_stylesheet() + template).encode()).hexdigest()[:12]


def render_pdf(issue, *, print_html, preview=False, missing=None):
    """The bytes of the issue's PDF from its print sheet `print_html` (a snapshot's, or a live
    render for a preview). A preview (an issue not yet public) says so at the top of every page.
    Raises render_box.Refused over a limit; URLs of stored pictures it could not read are
    appended to `missing`.
    """
    html = render_to_string(
        TEMPLATE,
        {"issue": issue, "article_html": mark_safe(print_html), "site": SiteSettings.load(), "preview": preview},
    )
    pictures = read_pictures(html, missing=missing if missing is not None else [])
    return render_box.run("bulletins.pdf_writer.write_pdf", html, _stylesheet(), pictures)


def stored_pdf_name(snapshot):
    """Where a snapshot's PDF is kept: named by its hash and its signing time, so that one file
    belongs to one snapshot only (a restored database may sign the same content again), and by
    the layout it was rendered with."""
    return f"{STORED_UNDER}/{snapshot.sha256}-{snapshot.signed_at:%Y%m%d%H%M%S%f}-{_layout()}.pdf"


def _kept(name):
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def published_pdf(issue):
    """(bytes, kept) of a published issue's PDF from its signed snapshot: read from the default
    storage, or rendered once and kept there. A render that could not read one of its pictures is
    served but not kept (kept is False). Raises render_box.Refused like render_pdf; a snapshot
    over a limit is refused again without rendering for REFUSAL_SECONDS."""
    snapshot = issue.snapshot
    name = stored_pdf_name(snapshot)
    kept = _kept(name)
    if kept is not None:
        return kept, True
    refused = cache.get(f"pdf:refused:{name}")
    if refused is not None:
        raise render_box.TooCostly(refused)
    with render_box.only_one(name):
        kept = _kept(name)  # by the request that held the lock before this one
        if kept is not None:
            return kept, True
        missing = []
        try:
            data = render_pdf(issue, print_html=snapshot.print_html, missing=missing)
        except render_box.TooCostly as refusal:
            cache.set(f"pdf:refused:{name}", refusal.args[0], REFUSAL_SECONDS)
            raise
        if missing:
            return data, False
        default_storage.save(name, ContentFile(data))
    return data, True
