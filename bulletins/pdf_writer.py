"""HTML and CSS in, PDF bytes out: the part of bulletins/pdf.py that runs in the render box.

It needs no Django settings, database or storage (bulletins/render_box.py): the pictures come as
bytes read beforehand from the default storage, and every other URL is refused, so the renderer
fetches nothing.
"""

import mimetypes

from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Importing WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, which would
# let bulletins/images.py accept truncated uploads wherever this module is imported (the worker
# never does; tests may). Put Pillow's default back: a broken picture only shows its alt text.
ImageFile.LOAD_TRUNCATED_IMAGES = False

from .media import picture_key
from .render_box import TooCostly

BASE_URL = "https://bulletin.invalid/"
# The 60-entry issue with 10 photographs has 32 pages; the printed 简报 is rarely above 20.
# Counted after layout and before writing, so a longer document costs its layout, not its PDF.
MAX_PAGES = 100


class _Pictures(URLFetcher):
    """Serves the pictures read beforehand ({picture_key: bytes}) and refuses every other URL."""

    def __init__(self, pictures):
        super().__init__()
        self.pictures = pictures

    def fetch(self, url, headers=None):
        data = self.pictures.get(picture_key(url))
        if data is None:
            raise ValueError(f"不从网络获取：{url}")
        mime_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
        return URLFetcherResponse(url, data, {"Content-Type": mime_type})


def write_pdf(html, css, pictures):
    font_config = FontConfiguration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_Pictures(pictures)).render(
        stylesheets=[CSS(string=css, font_config=font_config)], font_config=font_config
    )
    if len(document.pages) > MAX_PAGES:
        raise TooCostly(f"超过{MAX_PAGES}页")
    return document.write_pdf()


def _warm_up():
    """One small render when the forkserver imports this module (bulletins/render_box.py): the
    fonts and text shaping it loads are then shared by every render forked from it (50 ms each)."""
    write_pdf(
        "<p class=serif>简报</p><p class=sans>简报</p>",
        '.serif { font-family: "Noto Serif CJK SC", serif } .sans { font-family: "Noto Sans CJK SC", sans-serif }',
        {},
    )


_warm_up()
