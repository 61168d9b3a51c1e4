import datetime
import io
import zipfile

import pytest
from docx import Document
from django.urls import reverse
from django.utils import timezone
from docx.shared import RGBColor

from bulletins.export_docx import filename, issue_to_docx
from bulletins.models import SiteSettings

from .bulletin_sample import make_sample_issue, sample_sections
from .factories import make_entry, make_issue, make_user

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
    assert texts[1] == "第13期"
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
    entry = Document(io.BytesIO(issue_to_docx(issue))).paragraphs[-1]
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
    assert Document(io.BytesIO(response.content)).paragraphs[1].text == "第13期"


def test_admin_download_url_is_under_the_issue_admin():
    assert reverse("bulletins_admin:issue_export_docx", args=[7]) == "/admin/bulletins/issue/7/export.docx"


def test_admin_download_needs_view_issue_permission(client):
    client.force_login(make_user(is_staff=True))
    issue = make_issue()
    assert client.get(reverse("bulletins_admin:issue_export_docx", args=[issue.pk])).status_code == 403
