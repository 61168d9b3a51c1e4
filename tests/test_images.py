import errno
import io
import os
import random
import re
import struct
import zlib

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, ImageFile
from PIL.PngImagePlugin import PngInfo

from accounts.models import AuditEvent, User
from bulletins import images
from bulletins.images import ImageRejected, prepare_image, store_image
from bulletins.models import EntryImage

from .factories import make_entry, make_issue, make_user

pytestmark = pytest.mark.django_db

STORED_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|gif|webp)$")
NOT_AN_IMAGE = "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片"
MARKUP = "夹带了网页或脚本代码"
DAMAGED = "图片文件已损坏或不完整"
TOO_MANY_PIXELS = "图片像素过多"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def written_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def noise(size=(64, 48), mode="RGB"):
    channels = len(mode)
    return Image.frombytes(mode, size, random.Random(0).randbytes(size[0] * size[1] * channels))


def encode(image, fmt, **options):
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (30.0, 15.0, 7.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 10.0, 3.0)
    return exif


def jpeg_with_gps(size=(64, 48), orientation=None):
    content = encode(noise(size), "JPEG", exif=gps_exif(orientation))
    with Image.open(io.BytesIO(content)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test image must carry GPS data"
    return content


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width, height):
    """A PNG that claims width × height pixels with a tiny IDAT: costs bytes, not gigabytes."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + png_chunk(b"IEND", b"")
    )


def animated_gif():
    frames = [Image.new("P", (32, 32), color) for color in (1, 2, 3)]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def stored(image):
    with image.file.open("rb") as f:
        return f.read()


def exif_of(content):
    with Image.open(io.BytesIO(content)) as image:
        return dict(image.getexif()), dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


@pytest.fixture
def editor():
    return make_user(roles=["编辑"], is_staff=True)


# Accepted formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, fmt",
    [
        pytest.param(lambda: jpeg_with_gps(), "JPEG", id="jpeg"),
        pytest.param(lambda: encode(noise(), "PNG", exif=gps_exif()), "PNG", id="png"),
        pytest.param(lambda: encode(noise(), "WEBP", exif=gps_exif()), "WEBP", id="webp"),
        pytest.param(lambda: encode(noise(mode="L").convert("P"), "GIF", comment=b"PhoneMaker"), "GIF", id="gif"),
    ],
)
def test_each_accepted_format_is_reencoded_without_exif_or_gps(content, fmt, editor):
    original = content()
    assert b"PhoneMaker" in original

    image = store_image(upload(original), alt_text="志愿者在站台引导乘客", by=editor)

    data = stored(image)
    assert data != original
    with Image.open(io.BytesIO(data)) as reopened:
        assert reopened.format == fmt
        assert reopened.size == (image.width, image.height) == (64, 48)
        assert "exif" not in reopened.info
    assert exif_of(data) == ({}, {})
    assert b"PhoneMaker" not in data


def test_jpeg_orientation_is_applied_before_exif_is_dropped(editor):
    image = store_image(upload(jpeg_with_gps(size=(64, 48), orientation=6)), alt_text="横拍照片", by=editor)

    assert (image.width, image.height) == (48, 64)
    assert exif_of(stored(image)) == ({}, {})


def test_png_text_chunks_are_not_kept(editor):
    info = PngInfo()
    info.add_text("Comment", "secret-location-note")

    image = store_image(upload(encode(noise(), "PNG", pnginfo=info)), alt_text="图", by=editor)

    assert b"secret-location-note" not in stored(image)


def test_animated_gif_keeps_its_first_frame_only(editor):
    image = store_image(upload(animated_gif(), "anim.gif"), alt_text="动图", by=editor)

    with Image.open(io.BytesIO(stored(image))) as reopened:
        assert reopened.format == "GIF"
        assert getattr(reopened, "n_frames", 1) == 1


def test_transparency_survives_reencoding(editor):
    rgba = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    rgba.paste((0, 128, 0, 255), (0, 0, 10, 10))
    palette = rgba.quantize(colors=4, method=Image.Quantize.FASTOCTREE)

    image = store_image(upload(encode(palette, "PNG"), "logo.png"), alt_text="标志", by=editor)

    with Image.open(io.BytesIO(stored(image))) as reopened:
        pixels = reopened.convert("RGBA")
        assert pixels.getpixel((15, 15))[3] == 0
        assert pixels.getpixel((1, 1))[3] == 255


def test_stored_bytes_are_the_reencoded_ones_not_the_upload(editor):
    smuggled = encode(noise(), "PNG") + b"TRAILING-PAYLOAD-AFTER-IEND"

    image = store_image(upload(smuggled, "a.png"), alt_text="图", by=editor)

    assert b"TRAILING-PAYLOAD" not in stored(image)


def test_image_is_stored_under_a_random_name_with_the_detected_extension(editor):
    first = store_image(upload(encode(noise(), "PNG"), "我的照片.jpg"), alt_text="图一", by=editor)
    second = store_image(upload(encode(noise(), "PNG"), "我的照片.jpg"), alt_text="图二", by=editor)

    assert STORED_NAME.match(first.file.name)
    assert first.file.name.endswith(".png")
    assert first.file.name != second.file.name
    assert "照片" not in first.file.name
    assert first.original_name == "我的照片.jpg"


def test_stored_image_records_its_uploader_size_and_dimensions(editor, media):
    image = store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)

    assert written_files(media) == [media / image.file.name]
    assert image.uploaded_by == editor
    assert image.size == len(stored(image))
    assert (image.width, image.height) == (64, 48)
    assert image.url.startswith("/media/images/")


def test_successful_upload_is_audited(editor):
    image = store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)

    event = AuditEvent.objects.get(action="image.upload")
    assert event.outcome == "success"
    assert event.object_id == str(image.pk)


# Refused uploads -------------------------------------------------------------------------------


def _svg():
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _tiff():
    return encode(noise(), "TIFF")


def _eps():
    return b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\nshowpage\n"


REFUSED = [
    pytest.param(_svg, "logo.svg", NOT_AN_IMAGE, id="svg"),
    pytest.param(_svg, "logo.jpg", NOT_AN_IMAGE, id="svg-renamed-jpg"),
    pytest.param(lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page.jpg", NOT_AN_IMAGE,
                 id="html"),
    pytest.param(lambda: encode(noise(mode="L").convert("P"), "GIF") + b"<html><script>alert(1)</script></html>",
                 "poly.gif", MARKUP, id="valid-gif-followed-by-html"),
    pytest.param(lambda: b"GIF89a<html><body><script>alert(document.cookie)</script></body></html>",
                 "poly.gif", MARKUP, id="gif-header-followed-by-html"),
    pytest.param(lambda: b"GIF89a\x01\x00\x01\x00" + b"\x00" * 40, "broken.gif", DAMAGED, id="gif-header-only"),
    pytest.param(_eps, "figure.jpg", NOT_AN_IMAGE, id="eps-renamed-jpg"),
    pytest.param(_tiff, "scan.jpg", NOT_AN_IMAGE, id="tiff-renamed-jpg"),
    pytest.param(lambda: b"", "empty.jpg", "文件是空的", id="empty"),
    pytest.param(lambda: encode(noise(), "PNG")[:3000], "cut.png", DAMAGED, id="truncated-png"),
    pytest.param(lambda: jpeg_with_gps(size=(256, 256))[:4000], "cut.jpg", DAMAGED, id="truncated-jpeg"),
    pytest.param(lambda: png_header_only(50_000, 50_000), "huge.png", TOO_MANY_PIXELS, id="png-50000x50000"),
    pytest.param(lambda: png_header_only(8_000, 8_000), "big.png", TOO_MANY_PIXELS, id="png-64-megapixels"),
]


@pytest.mark.parametrize("content, name, message", REFUSED)
def test_refused_upload_says_why_in_chinese_and_writes_nothing(content, name, message, editor, media):
    with pytest.raises(ImageRejected, match=message):
        store_image(upload(content(), name), alt_text="图", by=editor)

    assert written_files(media) == []
    assert not EntryImage.objects.exists()


def test_refused_upload_is_audited_as_a_failure(editor):
    with pytest.raises(ImageRejected):
        store_image(upload(_svg(), "logo.svg"), alt_text="图", by=editor)

    event = AuditEvent.objects.get(action="image.upload")
    assert event.outcome == "failure"
    assert "logo.svg" in event.detail


@pytest.mark.parametrize("size", [(50_000, 50_000), (8_000, 8_000)])
def test_pixel_bomb_is_refused_from_its_header_without_decoding(size, monkeypatch):
    def no_decoding(self, *args, **kwargs):
        raise AssertionError("the image must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "load", no_decoding)

    with pytest.raises(ImageRejected, match=TOO_MANY_PIXELS):
        prepare_image(upload(png_header_only(*size), "bomb.png"))


def test_pixel_limit_comes_from_the_setting(settings):
    settings.IMAGE_MAX_PIXELS = 1000

    with pytest.raises(ImageRejected, match=TOO_MANY_PIXELS):
        prepare_image(upload(encode(noise((40, 40)), "PNG"), "a.png"))


def test_pixel_limit_is_far_below_pillows_bomb_threshold():
    assert django_settings.IMAGE_MAX_PIXELS <= Image.MAX_IMAGE_PIXELS // 2


def test_file_over_the_size_limit_is_refused(settings, editor, media):
    content = encode(noise(), "PNG")
    settings.IMAGE_UPLOAD_MAX_BYTES = len(content) - 1

    with pytest.raises(ImageRejected, match="图片太大"):
        store_image(upload(content, "a.png"), alt_text="图", by=editor)

    assert written_files(media) == []


def test_default_size_limit_is_ten_megabytes():
    assert django_settings.IMAGE_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("alt_text", ["", "   "])
def test_alt_text_is_required(alt_text, editor, media):
    with pytest.raises(ImageRejected, match="请填写替换文本"):
        store_image(upload(jpeg_with_gps()), alt_text=alt_text, by=editor)

    assert written_files(media) == []
    assert not EntryImage.objects.exists()


def test_database_failure_leaves_no_file_behind(editor, media, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(EntryImage, "save", broken_save)

    with pytest.raises(RuntimeError):
        store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)

    assert written_files(media) == []


# Who may upload --------------------------------------------------------------------------------


def test_editors_reviewers_and_signers_may_upload_images():
    for role in ("编辑", "审核", "签发"):
        assert images.may_upload(make_user(roles=[role], is_staff=True))


def test_users_without_entry_permissions_may_not_upload_images():
    assert not images.may_upload(make_user(roles=["审计员"], is_staff=True))
    assert not images.may_upload(make_user(roles=["编辑"], is_staff=False))
    assert not images.may_upload(make_user(roles=["编辑"], is_staff=True, is_active=False))


# CKEditor upload endpoint ----------------------------------------------------------------------

UPLOAD_URL = "/admin/bulletins/entryimage/upload/"
BROWSE_URL = "/admin/bulletins/entryimage/browse/"


def test_ckeditor_settings_point_at_the_upload_and_browse_views():
    config = django_settings.CKEDITOR_CONFIGS["default"]

    assert config["filebrowserUploadUrl"] == config["filebrowserImageUploadUrl"] == UPLOAD_URL
    assert reverse("admin:bulletins_entryimage_upload") == UPLOAD_URL
    assert config["filebrowserBrowseUrl"] == config["filebrowserImageBrowseUrl"] == BROWSE_URL
    assert reverse("admin:bulletins_entryimage_browse") == BROWSE_URL
    assert "Image" in sum(config["toolbar_Entry"], [])


def test_ckeditor_upload_answers_in_ckeditor_json(client, editor):
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "站台志愿者"})

    assert response.status_code == 200
    body = response.json()
    image = EntryImage.objects.get()
    assert body == {"uploaded": 1, "fileName": image.file.name.rsplit("/", 1)[-1], "url": image.url}
    assert image.alt_text == "站台志愿者"
    assert image.uploaded_by == editor


def test_ckeditor_upload_refusal_carries_the_chinese_message(client, editor, media):
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"upload": upload(_svg(), "x.svg"), "alt_text": "图"})

    assert response.status_code == 200
    assert response.json()["uploaded"] == 0
    assert NOT_AN_IMAGE in response.json()["error"]["message"]
    assert written_files(media) == []


def test_ckeditor_upload_without_alt_text_is_refused(client, editor):
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps())})

    assert "请填写替换文本" in response.json()["error"]["message"]
    assert not EntryImage.objects.exists()


def test_ckeditor_upload_without_a_file_is_refused(client, editor):
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"alt_text": "图"})

    assert response.status_code == 200
    assert "没有收到文件" in response.json()["error"]["message"]


def test_anonymous_upload_is_sent_to_the_login_page(client, media):
    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "图"})

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert written_files(media) == []


def test_staff_without_entry_permission_cannot_upload(client, media):
    client.force_login(make_user(roles=["审计员"], is_staff=True))

    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "图"})

    assert response.status_code == 403
    assert response.json()["uploaded"] == 0
    assert written_files(media) == []
    assert not EntryImage.objects.exists()


def test_upload_endpoint_refuses_get(client, editor):
    client.force_login(editor)

    assert client.get(UPLOAD_URL).status_code == 405


def test_upload_without_csrf_token_is_refused(editor, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "图"})

    assert response.status_code == 403
    assert written_files(media) == []


def test_upload_with_the_csrf_header_is_accepted(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get("/admin/bulletins/entryimage/add/")
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value

    response = client.post(
        UPLOAD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "图"}, headers={"X-CSRFToken": token}
    )

    assert response.json()["uploaded"] == 1


# Upload page, my list, browse ------------------------------------------------------------------

ADD_URL = "/admin/bulletins/entryimage/add/"
LIST_URL = "/admin/bulletins/entryimage/"


def test_upload_page_stores_the_image_with_its_alt_text(client, editor):
    client.force_login(editor)

    response = client.post(ADD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "文明劝导队合影"})

    assert response.status_code == 302
    image = EntryImage.objects.get()
    assert image.alt_text == "文明劝导队合影"
    assert image.uploaded_by == editor
    assert STORED_NAME.match(image.file.name)
    assert exif_of(stored(image)) == ({}, {})


def test_upload_page_requires_alt_text(client, editor, media):
    client.force_login(editor)

    response = client.post(ADD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": ""})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alt_text"]
    assert written_files(media) == []
    assert not EntryImage.objects.exists()


def test_upload_page_shows_the_refusal_message(client, editor, media):
    client.force_login(editor)

    response = client.post(ADD_URL, {"upload": upload(_tiff(), "scan.jpg"), "alt_text": "扫描件"})

    assert response.status_code == 200
    assert NOT_AN_IMAGE in str(response.context["adminform"].form.errors["upload"])
    assert written_files(media) == []


def test_upload_page_is_refused_to_staff_without_entry_permission(client):
    client.force_login(make_user(roles=["审计员"], is_staff=True))

    assert client.get(ADD_URL).status_code == 403
    assert client.get(LIST_URL).status_code == 403


def test_my_images_list_shows_only_my_uploads(client, editor):
    colleague = make_user(roles=["编辑"], is_staff=True)
    store_image(upload(jpeg_with_gps()), alt_text="我的图片", by=editor)
    store_image(upload(jpeg_with_gps()), alt_text="同事的图片", by=colleague)
    client.force_login(editor)

    response = client.get(LIST_URL)

    assert "我的图片" in response.content.decode()
    assert "同事的图片" not in response.content.decode()


def test_someone_elses_image_cannot_be_opened_or_changed(client, editor):
    colleague = make_user(roles=["编辑"], is_staff=True)
    theirs = store_image(upload(jpeg_with_gps()), alt_text="同事的图片", by=colleague)
    client.force_login(editor)

    client.post(f"{LIST_URL}{theirs.pk}/change/", {"alt_text": "改掉"})

    theirs.refresh_from_db()
    assert theirs.alt_text == "同事的图片"
    assert "同事的图片" not in client.get(f"{LIST_URL}{theirs.pk}/change/", follow=True).content.decode()


def test_my_image_page_shows_its_preview_and_address(client, editor):
    mine = store_image(upload(jpeg_with_gps()), alt_text="志愿服务", by=editor)
    client.force_login(editor)

    page = client.get(f"{LIST_URL}{mine.pk}/change/").content.decode()

    assert f'<img src="{mine.url}" alt="志愿服务"' in page
    assert "64 × 48" in page


def test_alt_text_of_my_image_can_be_corrected(client, editor):
    mine = store_image(upload(jpeg_with_gps()), alt_text="旧说明", by=editor)
    client.force_login(editor)

    client.post(f"{LIST_URL}{mine.pk}/change/", {"alt_text": "新说明"})

    mine.refresh_from_db()
    assert mine.alt_text == "新说明"


def test_images_cannot_be_deleted_through_the_admin(client, editor):
    mine = store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)
    client.force_login(editor)

    assert client.post(f"{LIST_URL}{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert EntryImage.objects.filter(pk=mine.pk).exists()


@pytest.mark.parametrize("is_superuser", [False, True])
def test_browse_lists_only_my_uploads(client, editor, is_superuser):
    me = make_user(roles=["编辑"], is_staff=True, is_superuser=is_superuser)
    store_image(upload(jpeg_with_gps()), alt_text="我的图片", by=me)
    store_image(upload(jpeg_with_gps()), alt_text="别人的图片", by=editor)
    client.force_login(me)

    response = client.get(BROWSE_URL, {"CKEditor": "id_body", "CKEditorFuncNum": "3", "langCode": "zh-cn"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "我的图片" in page
    assert "别人的图片" not in page
    assert 'data-func-num="3"' in page


def test_browse_is_refused_without_entry_permission(client):
    client.force_login(make_user(roles=["审计员"], is_staff=True))

    assert client.get(BROWSE_URL).status_code == 403


def test_browse_page_has_no_inline_script(client, editor):
    store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)
    client.force_login(editor)

    page = client.get(BROWSE_URL).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


# In the entry body -----------------------------------------------------------------------------


def test_entry_body_keeps_an_uploaded_image_with_its_alt_text(editor):
    image = store_image(upload(jpeg_with_gps()), alt_text="志愿者服务站", by=editor)

    entry = make_entry(make_issue(), body=f'<p>正文</p><p><img src="{image.url}" alt="志愿者服务站" onerror="x()"></p>')

    assert f'<img src="{image.url}" alt="志愿者服务站">' in entry.body


# In the browser: CKEditor's image dialog -------------------------------------------------------


@pytest.fixture
def entry_page(browser, live_server):
    """An editor logged in through the admin form, on the change page of a draft entry."""
    editor = make_user(roles=["编辑"], is_staff=True)
    entry = make_entry(make_issue())
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the admin CSP forbids
    # (no 'unsafe-eval'); CKEditor itself runs under that CSP (tests/test_security_settings.py).
    page = browser.new_page(bypass_csp=True)
    page.username = editor.username
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", "Wenming-Test-2026!")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/bulletins/entry/{entry.pk}/change/")
    page.wait_for_function("window.CKEDITOR && CKEDITOR.instances.id_body && CKEDITOR.instances.id_body.status === 'ready'")
    page.evaluate("CKEDITOR.instances.id_body.execCommand('image')")
    page.wait_for_function("CKEDITOR.dialog.getCurrent() && CKEDITOR.dialog.getCurrent().getName() === 'image'")
    yield entry, page
    page.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_editor_uploads_an_image_with_alt_text_through_the_ckeditor_dialog(entry_page, tmp_path):
    entry, page = entry_page
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(jpeg_with_gps())

    page.evaluate("CKEDITOR.dialog.getCurrent().selectPage('Upload')")
    page.get_by_label("替换文本（必填）").locator("visible=true").fill("志愿者在站台引导乘客")
    page.frame_locator("iframe.cke_dialog_ui_input_file").locator("input[type=file]").set_input_files(photo)
    page.locator(".cke_dialog_ui_fileButton").locator("visible=true").click()
    page.wait_for_function("CKEDITOR.dialog.getCurrent().getValueOf('info', 'txtUrl').startsWith('/media/images/')")
    page.locator(".cke_dialog_ui_button_ok").click()
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/bulletins/entry/")

    image = EntryImage.objects.get()
    entry.refresh_from_db()
    assert image.alt_text == "志愿者在站台引导乘客"
    inserted = BeautifulSoup(entry.body, "html.parser").find("img")
    assert (inserted["src"], inserted["alt"]) == (image.url, "志愿者在站台引导乘客")
    assert exif_of(stored(image)) == ({}, {})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browse_window_fills_in_my_image_and_its_alt_text(entry_page):
    entry, page = entry_page
    store_image(upload(jpeg_with_gps()), alt_text="我上传过的图片", by=User.objects.get(username=page.username))

    with page.expect_popup() as popup_info:
        page.locator("a.cke_dialog_ui_button[title=浏览服务器]").locator("visible=true").click()
    popup = popup_info.value
    # The popup opens on about:blank first; its click handler is a deferred script of the real page.
    popup.wait_for_url("**/browse/**")
    popup.wait_for_load_state("load")
    popup.get_by_role("button", name="插入").click()

    page.wait_for_function("CKEDITOR.dialog.getCurrent().getValueOf('info', 'txtAlt') === '我上传过的图片'")
    assert page.evaluate("CKEDITOR.dialog.getCurrent().getValueOf('info', 'txtUrl')").startswith("/media/images/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_image_dialog_refuses_to_insert_an_image_without_alt_text(entry_page):
    entry, page = entry_page
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))

    page.locator(".cke_dialog_contents input.cke_dialog_ui_input_text").locator("visible=true").first.fill(
        "/media/images/x.png"
    )
    page.locator(".cke_dialog_ui_button_ok").click()

    assert any("请填写替换文本" in message for message in alerts)
    assert page.evaluate("CKEDITOR.dialog.getCurrent() !== null")


# Memory: a bounded decode -----------------------------------------------------------------------


def test_jpeg_over_the_pixel_limit_is_decoded_and_stored_at_half_size(settings, editor, media):
    settings.IMAGE_MAX_PIXELS = 2_000

    image = store_image(upload(encode(noise((80, 60)), "JPEG")), alt_text="合影", by=editor)

    assert (image.width, image.height) == (40, 30)


def test_jpeg_over_four_times_the_pixel_limit_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 1_000

    with pytest.raises(ImageRejected, match=TOO_MANY_PIXELS):
        prepare_image(upload(encode(noise((80, 60)), "JPEG")))


def test_default_pixel_limit_refuses_the_6300_square_png_that_took_300_mb():
    with pytest.raises(ImageRejected, match=TOO_MANY_PIXELS):
        prepare_image(upload(png_header_only(6300, 6300), "a.png"))


# Storage errors: disk full half way through the write -------------------------------------------


class DiskFullHalfWay(FileSystemStorage):
    """Writes half of the file, then fails as a full disk does."""

    def _save(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = content.read()
        with open(path, "wb") as file:
            file.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(media, monkeypatch):
    monkeypatch.setattr(EntryImage._meta.get_field("file"), "storage", DiskFullHalfWay(location=media))
    return media


def test_ckeditor_upload_on_a_full_disk_answers_in_chinese_json_and_leaves_no_file(client, editor, full_disk):
    client.force_login(editor)

    response = client.post(UPLOAD_URL, {"upload": upload(jpeg_with_gps(), "满.jpg"), "alt_text": "图"})

    assert response.status_code == 200
    assert response.json() == {
        "uploaded": 0,
        "error": {"message": "图片没有保存：服务器存储空间已满。请稍后再试；如果反复出现，请联系系统管理员。"},
    }
    assert written_files(full_disk) == []
    assert not EntryImage.objects.exists()
    event = AuditEvent.objects.get(action="image.upload")
    assert (event.outcome, event.user) == ("failure", editor)
    assert "满.jpg" in event.detail and "存储空间已满" in event.detail


def test_upload_page_on_a_full_disk_shows_the_message_and_audits_it(client, editor, full_disk):
    client.force_login(editor)

    response = client.post(ADD_URL, {"upload": upload(jpeg_with_gps()), "alt_text": "图"}, follow=True)

    assert "图片没有保存：服务器存储空间已满" in response.content.decode()
    assert written_files(full_disk) == []
    assert not EntryImage.objects.exists()
    assert AuditEvent.objects.get(action="image.upload").outcome == "failure"


def test_any_other_storage_error_is_reported_without_leaving_a_file(editor, media, monkeypatch):
    class Unwritable(FileSystemStorage):
        def _save(self, name, content):
            raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(EntryImage._meta.get_field("file"), "storage", Unwritable(location=media))

    with pytest.raises(images.StorageFailed, match="服务器暂时无法写入文件"):
        store_image(upload(jpeg_with_gps()), alt_text="图", by=editor)

    assert written_files(media) == []
