"""Uploaded media in S3-compatible object storage (wenming/storage.py) and served by wenming/media.py.

moto's standalone server stands in for the real object store (MinIO, OSS, COS, OBS)."""

import io
import random
import uuid
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from bulletins.export_docx import issue_to_docx
from bulletins.models import EntryImage
from wenming.settings.base import media_storage_from_environment

from .factories import make_entry, make_published_issue, make_user
from .servers import MotoServer

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/bulletins/entryimage/upload/"
BROWSE_URL = "/admin/bulletins/entryimage/browse/"
needs_moto = pytest.mark.skipif(not MotoServer.available(), reason="moto[server] 未安装（测试依赖）")


@pytest.fixture(scope="module")
def moto_server():
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def bucket(settings, moto_server):
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = moto_server.create_bucket(name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage_from_environment({
            "MEDIA_S3_BUCKET": name,
            "MEDIA_S3_ENDPOINT_URL": moto_server.endpoint,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "test",
            "MEDIA_S3_SECRET_ACCESS_KEY": "test",
        }),
    }
    return client, name


@pytest.fixture
def editor():
    return make_user(roles=["编辑"], is_staff=True)


def _jpeg_with_exif():
    image = Image.frombytes("RGB", (64, 48), random.Random(0).randbytes(64 * 48 * 3))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _upload(client, editor, alt_text="站台志愿者"):
    client.force_login(editor)
    response = client.post(UPLOAD_URL, {
        "upload": SimpleUploadedFile("photo.jpg", _jpeg_with_exif(), content_type="image/jpeg"),
        "alt_text": alt_text,
    })
    assert response.status_code == 200, response.content
    return EntryImage.objects.get(), response.json()


def _object(bucket, key):
    client, name = bucket
    return client.get_object(Bucket=name, Key=key)["Body"].read()


def test_the_local_folder_is_the_default():
    assert media_storage_from_environment({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"


@needs_moto
@pytest.mark.system
def test_an_upload_is_reencoded_into_the_bucket(client, editor, bucket):
    image, answer = _upload(client, editor)
    stored = _object(bucket, image.file.name)
    assert stored.startswith(b"\xff\xd8\xff") and b"PhoneMaker" not in stored
    assert answer["url"] == image.url == f"/media/{image.file.name}"


@needs_moto
@pytest.mark.system
def test_an_uploaded_image_is_served_under_media_with_the_security_headers(client, editor, bucket):
    image, _ = _upload(client, editor)
    client.logout()
    response = client.get(image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _object(bucket, image.file.name)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert not response.cookies


@needs_moto
@pytest.mark.system
@pytest.mark.parametrize("name", [
    "images/2026/12/0123456789abcdef0123456789abcdef.jpg",  # well formed, not in the bucket
    "images/../../etc/passwd",
    "private/2026/12/0123456789abcdef0123456789abcdef.jpg",
    "images/2026/12/0123456789abcdef0123456789abcdef.html",
])
def test_only_stored_image_names_are_served(client, bucket, name):
    assert client.get(f"/media/{name}").status_code == 404


@needs_moto
@pytest.mark.system
def test_the_editors_image_browser_lists_images_from_the_bucket(client, editor, bucket):
    image, _ = _upload(client, editor)
    page = client.get(BROWSE_URL).content.decode()
    assert image.url in page


@needs_moto
@pytest.mark.system
def test_word_export_embeds_the_picture_read_from_the_bucket(client, editor, bucket):
    image, _ = _upload(client, editor, alt_text="志愿者在公交站台")
    issue = make_published_issue(year=2023, number=13)
    make_entry(issue, body=f'<p>近日活动。</p><p><img src="{image.url}" alt="志愿者在公交站台"></p>')
    data = issue_to_docx(issue)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        pictures = [package.read(name) for name in package.namelist() if name.startswith("word/media/")]
    assert pictures == [_object(bucket, image.file.name)]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "志愿者在公交站台" in text


def test_local_media_is_served_with_the_same_headers(client, settings, tmp_path, editor):
    settings.MEDIA_ROOT = tmp_path / "media"
    image, _ = _upload(client, editor)
    response = client.get(image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
