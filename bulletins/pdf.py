"""An issue as a PDF 简报, rendered on the server by WeasyPrint from the print layout.

The HTML is the print view's sheet (templates/bulletins/_issue_print_article.html, from the signed
snapshot of a published issue) and the CSS is
static/css/paper.css, so the PDF and the printed page are one layout. WeasyPrint embeds
subsets of the real fonts with their ToUnicode maps, so the Chinese text stays selectable
and searchable. It fetches nothing from the network: pictures come from the default storage.
"""

import gc
import mimetypes

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would
# let bulletins/images.py accept truncated uploads. Put Pillow's default back: our pictures are
# re-encoded on upload, and a broken one only shows its alt text in the PDF.
ImageFile.LOAD_TRUNCATED_IMAGES = False

from .media import read_picture
from .models import SiteSettings

MIME_TYPE = "application/pdf"
STYLESHEET = "css/paper.css"
BASE_URL = "https://bulletin.invalid/"


def filename(issue):
    return f"{issue.year}年第{issue.number}期.pdf"


class _StoredPictures(URLFetcher):
    """Serves pictures under MEDIA_URL from the default storage and refuses every other URL."""

    def fetch(self, url, headers=None):
        data = read_picture(url)
        if data is None:
            raise ValueError(f"不从网络获取：{url}")
        mime_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": mime_type})


def _stylesheet(font_config):
    with open(finders.find(STYLESHEET), encoding="utf-8") as handle:
        return CSS(string=handle.read(), font_config=font_config)


def render_pdf(issue, *, print_html, preview=False):
    """The bytes of the issue's PDF from its print sheet `print_html` (a snapshot's, or a live
    render for a preview). A preview (an issue not yet public) says so at the top of every page.
    """
    html = render_to_string(
        "bulletins/issue_pdf.html",
        {"issue": issue, "article_html": mark_safe(print_html), "site": SiteSettings.load(), "preview": preview},
    )
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_StoredPictures())
    data = document.write_pdf(stylesheets=[_stylesheet(font_config)], font_config=font_config)
    # The embedded CJK fonts (tens of MB each) are held in reference cycles; without a collection
    # here a worker grows by ~70 MB per PDF until the collector happens to run.
    del document, font_config
    gc.collect()
    return data
