import io

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pypdf import PdfReader

from bulletins import render_box
from bulletins.models import Issue, SiteSettings
from bulletins.pdf import STORED_UNDER, filename

from .factories import make_entry, make_issue, make_published_issue, make_sample_issue, make_user, store_picture
from .snapshot_support import sign_on_change

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Pictures and the kept PDFs of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def own_slots(monkeypatch, tmp_path):
    monkeypatch.setattr(render_box, "SLOT_DIR", tmp_path / "slots")


@pytest.fixture
def renders(monkeypatch):
    """The PDFs the render box writes, counted."""
    calls = []
    real = render_box.run

    def counting(function, *args):
        calls.append(function)
        return real(function, *args)

    monkeypatch.setattr(render_box, "run", counting)
    return calls


def pdf_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response) if response.streaming else response.content))


def text_of(reader):
    return "".join(page.extract_text() for page in reader.pages)


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def images_of(reader):
    """The distinct pictures drawn in the document (WeasyPrint shares one resource dictionary between pages)."""
    return {image.name for page in reader.pages for image in page.images}


@pytest.fixture(scope="module")
def sample_pdf(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample issue with a picture as a reader downloads it: rendered once for the module's
    tests that only read it (a render is about a second)."""
    folder = tmp_path_factory.mktemp("sample-pdf")
    slots, render_box.SLOT_DIR = render_box.SLOT_DIR, folder / "slots"
    try:
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"), sign_on_change(), \
                transaction.atomic():
            issue = make_sample_issue()
            url = store_picture("volunteers.png")
            make_entry(issue, section_name="同创资讯", order=99,
                       body=f'<p>志愿者在站台引导乘客。</p><p><img src="{url}" alt="志愿者在公交站台引导乘客排队"></p>')
            response = Client().get(reverse("bulletins:issue_pdf", args=[2023, 13]))
            transaction.set_rollback(True)
    finally:
        render_box.SLOT_DIR = slots
    return pdf_of(response)


def test_pdf_has_masthead_sections_and_entries_as_selectable_text(sample_pdf):
    text = text_of(sample_pdf).replace(" ", "").replace("\n", "")
    assert "文明城市创建" in text
    assert "2023年第13期" in text
    assert "【领导活动】" in text
    assert "志愿者在站台引导乘客" in text


def test_pdf_ends_with_the_distribution_block_of_the_site_settings(sample_pdf):
    site = SiteSettings.load()
    last = sample_pdf.pages[-1].extract_text().replace(" ", "").replace("\n", "")
    assert f"发：{site.issue_to}" in last
    assert f"共印{site.print_run}份" in last


def test_pdf_pages_are_numbered_with_dashes(sample_pdf):
    for number, page in enumerate(sample_pdf.pages, start=1):
        assert f"— {number} —" in page.extract_text()


def test_pdf_pages_are_a4(sample_pdf):
    box = sample_pdf.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_pdf_embeds_the_cjk_fonts_of_the_paper_layout(sample_pdf):
    fonts = " ".join(fonts_of(sample_pdf))
    assert "CJK" in fonts or "FangSong" in fonts or "Song" in fonts, fonts


def test_pdf_carries_the_entry_picture(sample_pdf):
    assert len(images_of(sample_pdf)) == 1


def test_pdf_has_no_website_furniture(sample_pdf):
    text = text_of(sample_pdf)
    assert SiteSettings.load().site_name not in text
    assert "http" not in text


def test_pdf_is_named_by_year_and_number_for_download(client):
    make_published_issue(year=2024, number=3)
    response = client.get(reverse("bulletins:issue_pdf", args=[2024, 3]))
    assert response["Content-Disposition"] == "inline; filename*=utf-8''" + "2024%E5%B9%B4%E7%AC%AC3%E6%9C%9F.pdf"
    assert filename(Issue.objects.get()) == "2024年第3期.pdf"


def test_issue_distribution_replaces_the_default_when_filled(client):
    issue = make_published_issue(year=2024, number=4)
    make_entry(issue)
    issue.issue_to, issue.print_run = "各乡镇（街道）", 35
    issue.save()
    text = text_of(pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 4])))).replace(" ", "")
    assert "发：各乡镇（街道）" in text
    assert "共印35份" in text
    assert SiteSettings.load().report_to not in text


def test_signer_and_internal_marking_appear_when_set(client):
    site = SiteSettings.load()
    site.signer_name, site.internal_marking = "张三", True
    site.save()
    make_entry(make_published_issue(year=2024, number=5))
    text = text_of(pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 5])))).replace(" ", "")
    assert "签发人：张三" in text
    assert "内部资料" in text


def test_draft_pdf_is_hidden_from_the_public(client):
    make_entry(make_issue(year=2024, number=6))
    assert client.get(reverse("bulletins:issue_pdf", args=[2024, 6])).status_code == 404


def test_editor_previews_a_draft_pdf_uncached(client):
    make_entry(make_issue(year=2024, number=7))
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    response = client.get(reverse("bulletins:issue_pdf", args=[2024, 7]))
    assert len(pdf_of(response).pages) >= 1
    assert "no-cache" in response["Cache-Control"]


def test_withdrawn_issue_pdf_is_gone(client):
    make_entry(make_issue(year=2024, number=8, status=Issue.Status.WITHDRAWN, withdrawn_reason="错误"))
    assert client.get(reverse("bulletins:issue_pdf", args=[2024, 8])).status_code == 410


def test_published_pdf_is_cached_and_a_change_renders_it_again(client, monkeypatch):
    from bulletins import pdf

    issue = make_published_issue(year=2024, number=9)
    entry = make_entry(issue)
    calls = []
    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    url = reverse("bulletins:issue_pdf", args=[2024, 9])
    client.get(url)
    client.get(url)
    assert len(calls) == 1
    entry.body = "<p>改过的正文。</p>"
    entry.save()
    assert "改过的正文" in text_of(pdf_of(client.get(url)))
    assert len(calls) == 2


def test_pdf_never_fetches_a_picture_from_another_site(client, monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("the PDF renderer went to the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    make_entry(make_published_issue(year=2024, number=10),
               body='<p>外链图片<img src="http://169.254.169.254/latest/meta-data" alt="外部图片"></p>')
    assert "外链图片" in text_of(pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 10]))))


def test_issue_page_links_to_its_pdf_next_to_print(client):
    make_entry(make_published_issue(year=2024, number=11))
    html = client.get(reverse("bulletins:issue_detail", args=[2024, 11])).content.decode()
    assert html.index("打印文本") < html.index('href="/issues/2024/11/pdf/"')


def test_preview_pdf_says_on_every_page_that_it_is_not_published(client):
    issue = make_issue(year=2024, number=12)
    for order in range(12):
        make_entry(issue, order=order, body="<p>" + "近日，市委召开创文工作推进会，部署下一阶段工作。" * 12 + "</p>")
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    reader = pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 12])))
    assert len(reader.pages) > 1
    assert all("预览稿" in page.extract_text() for page in reader.pages)


def test_published_pdf_has_no_preview_note(sample_pdf):
    assert "预览稿" not in text_of(sample_pdf)


def test_rendering_pdfs_leaves_pillow_refusing_truncated_images(client):
    from PIL import ImageFile

    import bulletins.pdf  # noqa: F401  (WeasyPrint's import switches the flag on)

    make_entry(make_published_issue(year=2024, number=13))
    pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 13])))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def kept_pdfs(media):
    folder = media / STORED_UNDER
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_published_pdf_is_rendered_once_and_then_served_from_storage(client, media, renders):
    make_entry(make_published_issue(year=2024, number=20))
    url = reverse("bulletins:issue_pdf", args=[2024, 20])
    client.cookies["sessionid"] = "x"  # past the public page cache, as the attacker was
    first = client.get(url).content
    assert [client.get(url).content for _ in range(3)] == [first] * 3
    assert len(renders) == 1
    assert len(kept_pdfs(media)) == 1


def test_a_correction_renders_a_new_pdf(client, media, renders):
    entry = make_entry(make_published_issue(year=2024, number=21))
    url = reverse("bulletins:issue_pdf", args=[2024, 21])
    client.get(url)
    entry.body = "<p>更正后的正文。</p>"
    entry.save()  # signs a new snapshot (tests/snapshot_support.py)
    assert "更正后的正文" in text_of(pdf_of(client.get(url)))
    client.get(url)
    assert len(renders) == 2
    assert len(kept_pdfs(media)) == 2


def test_a_pdf_that_could_not_read_a_picture_is_served_uncached_and_not_kept(client, media, renders):
    make_entry(make_published_issue(year=2024, number=22),
               body='<p>图片丢失。<img src="/media/images/test/missing.png" alt="丢失的图片"></p>')
    url = reverse("bulletins:issue_pdf", args=[2024, 22])
    response = client.get(url)
    assert "图片丢失" in text_of(pdf_of(response))
    assert "no-store" in response["Cache-Control"]
    assert kept_pdfs(media) == []
    client.get(url)
    assert len(renders) == 2


def test_a_pdf_whose_pictures_were_read_is_kept(client, media, renders):
    url = store_picture("volunteers.png")
    make_entry(make_published_issue(year=2024, number=23), body=f'<p>有图。<img src="{url}" alt="志愿者"></p>')
    response = client.get(reverse("bulletins:issue_pdf", args=[2024, 23]))
    assert len(images_of(pdf_of(response))) == 1
    assert "no-store" not in response.get("Cache-Control", "")
    assert len(kept_pdfs(media)) == 1


def test_a_second_first_request_does_not_render_the_same_pdf_again(client, media, renders):
    from bulletins.pdf import stored_pdf_name

    issue = make_published_issue(year=2024, number=24)
    make_entry(issue)
    issue.refresh_from_db()
    with render_box.only_one(stored_pdf_name(issue.snapshot)):  # another worker is rendering it
        response = client.get(reverse("bulletins:issue_pdf", args=[2024, 24]))
    assert response.status_code == 503 and response["Retry-After"]
    assert renders == []
    assert pdf_of(client.get(reverse("bulletins:issue_pdf", args=[2024, 24])))
    assert len(renders) == 1
