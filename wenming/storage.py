"""Where uploaded media lives: the local folder (default) or S3-compatible object storage.

With several app servers every one of them must see every upload, so the files go to one object
store that speaks the S3 protocol (MinIO, Alibaba OSS, Tencent COS, Huawei OBS, AWS S3), chosen
by the MEDIA_S3_* environment variables (wenming/settings/base.py). The bucket stays private: files are
linked under MEDIA_URL on this site and served by `wenming.media.serve_media` (or by nginx),
always with the same security headers, so the public pages' CSP (`img-src 'self'`) holds.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaObjectStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.MEDIA_URL, filepath_to_uri(name))
