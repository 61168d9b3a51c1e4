"""Reading an entry's pictures back for the paper formats (PDF, Word).

Pictures are read through Django's default storage, never by filesystem path, so the
exports work the same with files on disk and on object storage. Only files under
MEDIA_URL are read: a picture linked from another site is never fetched by the server.
"""

import posixpath
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

MAX_PICTURE_BYTES = 20 * 1024 * 1024  # far above what bulletins/images.py lets an editor upload


def stored_name(src):
    """The storage name of a picture URL under MEDIA_URL (absolute or not), or None."""
    path = unquote(urlsplit(src or "").path)
    prefix = urlsplit(settings.MEDIA_URL).path
    if not prefix or not path.startswith(prefix):
        return None
    name = posixpath.normpath(path[len(prefix):])
    if name.startswith(("..", "/")) or name in ("", "."):
        return None
    return name


def picture_key(src):
    """A picture's URL as the render box names it (the path, as the renderer resolves it against any
    base URL); needs no settings, so the boxed renderer can use it (bulletins/render_box.py)."""
    return unquote(urlsplit(src or "").path)


def read_picture(src):
    """The bytes of a stored picture, or None when it is not ours, missing or unreadable."""
    name = stored_name(src)
    if name is None:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read(MAX_PICTURE_BYTES + 1)
    except (OSError, ValueError):
        return None
    return data if len(data) <= MAX_PICTURE_BYTES else None


class _PictureSources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.extend(value for name, value in attrs if name == "src" and value)


def read_pictures(html, *, missing):
    """{picture_key: bytes} of the stored pictures the HTML shows; appends to `missing` the URLs
    of those that should be in the storage (under MEDIA_URL) and could not be read."""
    parser = _PictureSources()
    parser.feed(html)
    pictures = {}
    for src in parser.sources:
        if picture_key(src) in pictures:
            continue
        data = read_picture(src)
        if data is not None:
            pictures[picture_key(src)] = data
        elif stored_name(src) is not None:
            missing.append(src)
    return pictures
