"""Uploaded media served from whichever storage holds it, with the headers nginx would add.

On one server nginx serves MEDIA_ROOT itself (docs/deploy.md); with object storage, or without
nginx, requests for /media/ reach this view. Only the names bulletins/images.py writes are
served (images/<year>/<month>/<random>.<ext>), each with its image type, no MIME sniffing and a
sandboxing CSP, so nothing under /media/ can run as a page of this site.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

MEDIA_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|gif|webp)$")
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"


@require_safe
def serve_media(request, name):
    match = MEDIA_NAME.match(name)
    if not match:
        raise Http404("没有这个文件。")
    try:
        stored = default_storage.open(name, "rb")
        stored.size  # noqa: B018 - reaches the storage now, so a missing file is a 404 here
    except (FileNotFoundError, OSError) as error:
        raise Http404("没有这个文件。") from error
    except Exception as error:  # botocore's ClientError for a missing object
        if "404" in str(error) or "NoSuchKey" in str(error) or "Not Found" in str(error):
            raise Http404("没有这个文件。") from error
        raise
    response = FileResponse(stored, content_type=CONTENT_TYPES[match.group(1)])
    response["Content-Security-Policy"] = MEDIA_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # random names never change
    return response
