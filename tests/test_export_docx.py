import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from django.urls import reverse
from django.utils import timezone
from docx.shared import RGBColor

from bulletins.export_docx import filename, issue_to_docx
from bulletins.models import SiteSettings

from .bulletin_sample import make_sample_issue, sample_sections
from .factories import make_entry, make_issue, make_user, store_picture

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sample_docx(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            issue = make_sample_issue()
            data = issue_to_docx(issue)
            transaction.set_rollback(True)
    return data


def paragraphs(data):
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_export_is_a_valid_docx_package(sample_docx):
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as package:
        assert "word/document.xml" in package.namelist()
        assert package.testzip() is None


def test_masthead_has_bulletin_name_in_red(sample_docx):
    first = Document(io.BytesIO(sample_docx)).paragraphs[0]
    assert first.text == "文明城市创建"
    assert first.runs[0].font.color.rgb == RGBColor(0xFF, 0x00, 0x00)


def test_masthead_has_issue_number_office_and_publish_date(sample_docx):
    texts = paragraphs(sample_docx)
    assert texts[1] == "2023年第13期"
    assert texts[2] == "巴中市创建全国文明城市工作指挥部办公室\t2023年4月6日"


def test_masthead_is_followed_by_a_red_rule(sample_docx):
    office = Document(io.BytesIO(sample_docx)).paragraphs[2]
    bottom = office._p.pPr.xpath("./w:pBdr/w:bottom")[0]
    assert bottom.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}color") == "FF0000"


def test_red_rule_is_in_the_schema_order_word_requires(sample_docx):
    office = Document(io.BytesIO(sample_docx)).paragraphs[2]
    tags = [child.tag.rsplit("}", 1)[1] for child in office._p.pPr]
    assert tags.index("pBdr") < tags.index("tabs")


def test_every_section_and_entry_of_the_sample_is_present(sample_docx):
    texts = paragraphs(sample_docx)
    for section_name, entries in sample_sections():
        assert f"【{section_name}】" in texts
        for entry_paragraphs in entries:
            assert "●" + entry_paragraphs[0] in texts
            for paragraph in entry_paragraphs[1:]:
                assert paragraph in texts


def test_page_is_a4(sample_docx):
    section = Document(io.BytesIO(sample_docx)).sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_body_font_is_named_for_chinese_text(sample_docx):
    normal = Document(io.BytesIO(sample_docx)).styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋_GB2312"


def test_bold_and_italic_are_kept():
    issue = make_issue(published_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.timezone.utc))
    make_entry(issue, body="<p>近日，<strong>市委</strong>召开<em>推进会</em>。</p>")
    entry = [p for p in Document(io.BytesIO(issue_to_docx(issue))).paragraphs if p.text.startswith("●")][-1]
    assert entry.text == "●近日，市委召开推进会。"
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in entry.runs if r.bold or r.italic] == [
        ("市委", True, False), ("推进会", False, True),
    ]


def test_masthead_follows_site_settings_and_uses_today_for_unpublished_issue():
    site = SiteSettings.load()
    site.bulletin_name, site.issuing_office = "创文动态", "某市创文办"
    site.save()
    issue = make_issue(year=2024, number=2)
    make_entry(issue)
    texts = paragraphs(issue_to_docx(issue))
    today = timezone.localdate()
    assert texts[0] == "创文动态"
    assert texts[2] == f"某市创文办\t{today.year}年{today.month}月{today.day}日"


def test_filename_is_year_and_number():
    assert filename(make_issue(year=2023, number=13)) == "2023年第13期.docx"


# The admin download


def test_admin_download_is_a_docx_named_by_year_and_number(client):
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    issue = make_issue(year=2023, number=13)
    make_entry(issue)
    response = client.get(reverse("bulletins_admin:issue_export_docx", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="2023-13.docx"')
    assert "filename*=UTF-8''2023%E5%B9%B4%E7%AC%AC13%E6%9C%9F.docx" in disposition
    assert Document(io.BytesIO(response.content)).paragraphs[1].text == "2023年第13期"


def test_admin_download_url_is_under_the_issue_admin():
    assert reverse("bulletins_admin:issue_export_docx", args=[7]) == "/admin/bulletins/issue/7/export.docx"


def test_admin_download_needs_view_issue_permission(client):
    client.force_login(make_user(is_staff=True))
    issue = make_issue()
    assert client.get(reverse("bulletins_admin:issue_export_docx", args=[issue.pk])).status_code == 403


# Pictures, page numbers, 版记 (issue 15) and deep nesting (issue 10)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def memory_storage(settings):
    """Pictures in a storage with no filesystem path at all, like object storage."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


def test_a_thousand_nested_bold_tags_export_without_recursion_error():
    issue = make_issue()
    entry = make_entry(issue)
    depth = 5000
    entry.__class__.objects.filter(pk=entry.pk).update(body="<p>" + "<b>" * depth + "深层加粗" + "</b>" * depth + "</p>")
    document = Document(io.BytesIO(issue_to_docx(issue)))
    run = next(run for p in document.paragraphs for run in p.runs if run.text == "深层加粗")
    assert run.bold


def test_nested_blocks_keep_their_paragraph_order():
    issue = make_issue()
    make_entry(issue, body="<p>一<b>二</b></p><ul><li>三</li><li>四<br>五</li></ul><p>六</p>")
    texts = [p.text for p in Document(io.BytesIO(issue_to_docx(issue))).paragraphs]
    start = texts.index("●一二")
    assert texts[start:start + 5] == ["●一二", "三", "四", "五", "六"]


def test_picture_is_embedded_from_storage_within_the_type_area_with_its_alt_text_as_caption(memory_storage):
    issue = make_issue()
    url = store_picture("wide.png", size=(3000, 1000))
    make_entry(issue, body=f'<p>开头。</p><p><img src="{url}" alt="志愿者在公交站台引导乘客排队"></p><p>结尾。</p>')
    document = Document(io.BytesIO(issue_to_docx(issue)))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    section = document.sections[0]
    assert shapes[0].width <= section.page_width - section.left_margin - section.right_margin
    assert abs(shapes[0].width / shapes[0].height - 3.0) < 0.01
    assert shapes[0]._inline.docPr.get("descr") == "志愿者在公交站台引导乘客排队"
    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("志愿者在公交站台引导乘客排队") + 1] == "结尾。"


def test_picture_from_another_site_is_not_fetched_but_named(memory_storage):
    issue = make_issue()
    make_entry(issue, body='<p><img src="http://169.254.169.254/x.png" alt="外部图片"></p>')
    document = Document(io.BytesIO(issue_to_docx(issue)))
    assert len(document.inline_shapes) == 0
    assert "［图片：外部图片］" in [p.text for p in document.paragraphs]


def test_pages_are_numbered_by_word_page_fields_odd_right_even_left(sample_docx):
    document = Document(io.BytesIO(sample_docx))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.text.replace("1", "N") == "— N —"
        assert [i.text for i in paragraph._p.iter(f"{W}instrText")] == [" PAGE "]
        assert paragraph._p.pPr.find(f"{W}jc").get(f"{W}val") == alignment


def test_distribution_block_closes_the_document_between_rules(sample_docx):
    site = SiteSettings.load()
    table = Document(io.BytesIO(sample_docx)).tables[-1]
    assert [row.cells[0].text for row in table.rows] == [
        f"报：{site.report_to}", f"送：{site.send_to}", f"发：{site.issue_to}", f"（共印{site.print_run}份）",
    ]
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert [borders.find(f"{W}{side}").get(f"{W}val") for side in ("top", "insideH", "bottom", "left")] == [
        "single", "single", "single", "nil",
    ]


def test_masthead_shows_signer_and_internal_marking_when_set():
    site = SiteSettings.load()
    site.signer_name, site.internal_marking = "张三", True
    site.save()
    issue = make_issue(year=2024, number=2)
    make_entry(issue)
    texts = paragraphs(issue_to_docx(issue))
    assert texts[0] == "内部资料　注意保存"
    assert "签发人：张三" in texts[:5]


def gb_font_aliases(tmp_path):
    """The environment with docs/fontconfig's aliases, as README asks a server to install them."""
    import os
    from pathlib import Path

    aliases = Path(__file__).resolve().parent.parent / "docs" / "fontconfig" / "65-wenming-gb-fonts.conf"
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">{aliases}</include><include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        "</fontconfig>",
        encoding="utf-8",
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@pytest.mark.system
def test_libreoffice_converts_the_docx_with_the_same_text_and_page_count_as_the_pdf(tmp_path, client):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice（soffice）未安装：跳过Word导出的LibreOffice转换检查；CI 用 apt-get 安装 libreoffice-writer-nogui。")
    from pypdf import PdfReader

    issue = make_sample_issue()
    source = tmp_path / "issue.docx"
    source.write_bytes(issue_to_docx(issue))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180, env=gb_font_aliases(tmp_path),
    )
    converted = PdfReader(tmp_path / "issue.pdf")
    text = "".join(page.extract_text() for page in converted.pages).replace(" ", "").replace("\n", "")
    for section_name, entries in sample_sections():
        assert f"【{section_name}】" in text
        for entry_paragraphs in entries:
            assert entry_paragraphs[0][:20] in text
    assert f"共印{SiteSettings.load().print_run}份" in text
    weasy = PdfReader(io.BytesIO(client.get(reverse("bulletins:issue_pdf", args=[2023, 13])).content))
    assert len(converted.pages) == len(weasy.pages)


# The render box (bulletins/render_box.py)


def test_word_export_refused_by_the_render_box_tells_the_editor_why(client, monkeypatch, tmp_path):
    from bulletins import render_box

    monkeypatch.setattr(render_box, "SLOT_DIR", tmp_path / "slots")
    client.force_login(make_user(roles=["编辑"], is_staff=True))
    issue = make_issue(year=2023, number=14)
    make_entry(issue)
    with render_box.slot(), render_box.slot():
        response = client.get(reverse("bulletins_admin:issue_export_docx", args=[issue.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:bulletins_issue_change", args=[issue.pk])
    assert "未能导出Word：服务器正在生成其他文件，请稍后再试。" in response.content.decode()

