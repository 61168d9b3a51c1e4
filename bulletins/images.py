"""The one validated path for images in entries: check the upload, re-encode it, store it.

Every upload, from the image page or from CKEditor, goes through `store_image()`. The file
name the browser sends is never trusted: the format comes from the content (magic bytes, then
Pillow's own detection), the size in pixels is read from the header before anything is decoded,
and only the re-encoded pixels are written, so metadata (EXIF with GPS, comments, XMP) and
anything hidden after or inside the image data are dropped. Animated GIFs keep their first frame.
"""

import errno
import io
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageOps

from accounts import audit

# Detected format -> (file extension, Pillow save options).
FORMATS = {
    # No `optimize` for JPEG: Pillow then buffers one byte per pixel for a few per cent of size.
    "JPEG": ("jpg", {"quality": 85}),
    "PNG": ("png", {"optimize": True}),
    "GIF": ("gif", {}),
    "WEBP": ("webp", {"quality": 85}),
}
# Markup that has no business inside an image; finding it means a polyglot, refused outright.
_MARKUP = re.compile(rb"<script|<html|<body|<iframe|<svg|<!doctype|<\?php|<\?xml-stylesheet", re.IGNORECASE)
# A JPEG is decoded at 1/2 scale (libjpeg's DCT scaling, never the full pixels) when it is over
# the pixel limit, so photographs up to JPEG_REDUCTION² times the limit are accepted, made smaller.
JPEG_REDUCTION = 2
# Pixels accepted per format, as (times, share) of max_pixels(): a WebP's pixels are held about
# five times over while Pillow and libwebp decode and encode it. Measured: docs/benchmarks-sanitize.md.
_PIXELS_OF = {"JPEG": (JPEG_REDUCTION**2, 1), "WEBP": (1, 5)}


class ImageRejected(Exception):
    """The upload was not stored: not an image we accept, or (StorageFailed) not writable; in Chinese."""


class StorageFailed(ImageRejected):
    """The storage failed while writing (disk full, permissions, a backend down); nothing is left behind."""


@dataclass(frozen=True)
class PreparedImage:
    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self):
        return FORMATS[self.format][0]


def max_bytes():
    return getattr(settings, "IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)


def max_pixels():
    """Pixels decoded for one upload at most; with max_bytes() it bounds a worker's memory (docs/)."""
    return getattr(settings, "IMAGE_MAX_PIXELS", 12_000_000)


def max_pixels_of(fmt):
    """The largest image, in pixels, accepted in that format."""
    times, share = _PIXELS_OF.get(fmt, (1, 1))
    return max_pixels() * times // share


def may_upload(user):
    """Staff who write entries may upload images for them."""
    return bool(
        user.is_active
        and user.is_staff
        and (user.has_perm("bulletins.add_entry") or user.has_perm("bulletins.change_entry"))
    )


def sniff_format(head):
    """The format named by the first bytes of the file, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _read(upload):
    size = getattr(upload, "size", None)
    if size == 0:
        raise ImageRejected("文件是空的，请选择一张图片。")
    limit = max_bytes()
    if size is not None and size > limit:
        raise _too_large(limit)
    upload.seek(0)
    data = upload.read(limit + 1)
    if not data:
        raise ImageRejected("文件是空的，请选择一张图片。")
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit):
    shown = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:.0f} KB"
    return ImageRejected(f"图片太大：不能超过 {shown}，请压缩后再上传。")


def prepare_image(upload):
    """Check an uploaded file and return it re-encoded; raise ImageRejected to refuse it."""
    data = _read(upload)
    detected = sniff_format(data[:16])
    if detected is None:
        raise ImageRejected("只能上传 JPEG、PNG、GIF 或 WebP 格式的图片（按文件内容识别，改扩展名无效）。")
    if _MARKUP.search(data):
        raise ImageRejected("文件中夹带了网页或脚本代码，不能作为图片上传。")

    damaged = ImageRejected("图片文件已损坏或不完整，无法读取，请重新导出后再上传。")
    try:
        # open() reads the header only; nothing is decoded until load().
        with Image.open(io.BytesIO(data), formats=[detected]) as probe:
            if probe.format != detected:
                raise damaged
            _check_pixels(probe.size, detected)
            probe.verify()
        with Image.open(io.BytesIO(data), formats=[detected]) as image:
            image.seek(0)
            _decode_reduced(image)
            image.load()
            content = _reencode(image, detected)
    except Image.DecompressionBombError:
        raise ImageRejected(_too_many_pixels_message(detected)) from None
    except ImageRejected:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, MemoryError):
        raise damaged from None

    width, height = _dimensions(content)
    return PreparedImage(content=content, format=detected, width=width, height=height)


def _too_many_pixels_message(fmt):
    return f"图片像素过多：不能超过 {max_pixels_of(fmt) // 10_000} 万像素（宽×高），请缩小尺寸后再上传。"


def _check_pixels(size, fmt):
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageRejected("图片文件已损坏或不完整，无法读取，请重新导出后再上传。")
    if width * height > max_pixels_of(fmt):
        raise ImageRejected(_too_many_pixels_message(fmt))


def _decode_reduced(image):
    """Have libjpeg decode a JPEG over the pixel limit at 1/2 scale instead of in full."""
    width, height = image.size
    if image.format == "JPEG" and width * height > max_pixels():
        image.draft(None, (-(-width // JPEG_REDUCTION), -(-height // JPEG_REDUCTION)))


def _reencode(image, fmt):
    """Fresh pixels in a fresh file: orientation applied, every piece of metadata left behind."""
    ImageOps.exif_transpose(image, in_place=True)  # a copy would double the memory
    upright = image
    keep = {key: upright.info[key] for key in ("transparency",) if key in upright.info}
    upright.info = keep
    if fmt == "JPEG" and upright.mode not in ("L", "RGB", "CMYK"):
        upright = upright.convert("RGB")
    elif fmt == "WEBP" and upright.mode not in ("RGB", "RGBA"):
        upright = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
    elif fmt == "PNG" and upright.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
        upright = upright.convert("RGBA")
    out = io.BytesIO()
    options = dict(FORMATS[fmt][1])
    if fmt in ("PNG", "GIF") and "transparency" in keep:
        options["transparency"] = keep["transparency"]
    upright.save(out, format=fmt, **options)
    return out.getvalue()


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _dimensions(content):
    with Image.open(io.BytesIO(content)) as stored:
        return stored.size


def refuse(upload, error, *, by, request=None):
    """Record a refused upload in the audit log (the caller shows the message)."""
    name = os.path.basename(getattr(upload, "name", "") or "")[:200]
    audit.record("image.upload", user=by, request=request, outcome="failure", detail=f"{name}: {error}")


def check_alt_text(alt_text):
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ImageRejected("请填写替换文本：用一句话说明图片内容，供读屏软件朗读。")
    return alt_text


def store_image(upload, *, alt_text, by, request=None):
    """Validate and store an upload as an EntryImage; on refusal nothing is written."""
    try:
        alt_text = check_alt_text(alt_text)
        prepared = prepare_image(upload)
    except ImageRejected as error:
        refuse(upload, error, by=by, request=request)
        raise
    from bulletins.models import EntryImage

    image = EntryImage(alt_text=alt_text, original_name=os.path.basename(getattr(upload, "name", "") or "")[:200])
    try:
        return save_prepared(image, prepared, by=by, request=request)
    except StorageFailed as error:
        refuse(upload, error, by=by, request=request)
        raise


def save_prepared(image, prepared, *, by, request=None):
    """Write the re-encoded bytes under a random name and save the row; both or neither."""
    image.uploaded_by = by
    image.width, image.height = prepared.width, prepared.height
    image.size = len(prepared.content)
    image.file = _write(image, prepared)
    try:
        with transaction.atomic():
            image.save()
            audit.record("image.upload", user=by, request=request, obj=image, detail=image.original_name)
    except BaseException:
        image.file.delete(save=False)
        raise
    return image


def _write(image, prepared):
    """Write the bytes under a fresh random name; on any storage error remove what was written.

    Raises StorageFailed with a Chinese message; the caller audits it (outside any transaction
    that the failure rolls back).
    """
    field = image.file.field
    name = field.generate_filename(image, f"upload.{prepared.extension}")
    try:
        return field.storage.save(name, ContentFile(prepared.content), max_length=field.max_length)
    except Exception as error:
        _remove_partial(field.storage, name)
        raise StorageFailed(_storage_message(error)) from error


def _remove_partial(storage, name):
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:  # noqa: BLE001 -- the storage is already failing; the original error matters
        pass


def _storage_message(error):
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "服务器存储空间已满"
    else:
        reason = "服务器暂时无法写入文件"
    return f"图片没有保存：{reason}。请稍后再试；如果反复出现，请联系系统管理员。"
