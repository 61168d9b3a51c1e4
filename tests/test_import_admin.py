import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from accounts import roles
from accounts.models import AuditEvent
from bulletins.models import Entry, Issue
from bulletins.revisions import versions_of

from . import hostile_docx
from .factories import make_issue, make_person, make_user
from .samples import sample_text

pytestmark = pytest.mark.django_db

URL = "/admin/bulletins/issue/import/"


@pytest.fixture
def editor(client):
    user = make_user("editor", roles=[roles.EDITOR], is_staff=True, real_name="张编辑")
    client.force_login(user)
    return user


def preview(client, **data):
    return client.post(URL, {"action": "预览", "text": "", **data})


def confirm(client, response):
    return client.post(URL, {
        "action": "confirm",
        "source_text": response.context["source_text"],
        "filename": response.context["filename"],
    })


def test_changelist_links_to_the_import_page(client, editor):
    response = client.get("/admin/bulletins/issue/")
    assert URL in response.content.decode() and "从文件导入" in response.content.decode()


def test_import_needs_the_add_issue_permission(client):
    client.force_login(make_user(roles=[roles.AUDITOR], is_staff=True))
    assert client.get(URL).status_code == 403


def test_import_page_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_import_form_is_in_chinese(client, editor):
    content = client.get(URL).content.decode()
    assert "粘贴文本" in content and "预览" in content


def test_preview_shows_sections_entries_dates_people_and_suggestions(client, editor):
    make_person("陶斌", "市委常委、宣传部部长")
    response = preview(client, text=sample_text())
    content = response.content.decode()
    assert response.status_code == 200
    assert "【领导活动】 5条" in content and "【他山之石】 1条" in content
    assert "2023-03-15" in content
    assert "市委常委、宣传部部长<strong>陶斌</strong>" in content
    assert "副市长、市公安局局长<strong>何渝</strong>（名录中没有" in content
    assert "/admin/bulletins/person/add/?name=%E4%BD%95%E6%B8%9D" in content


def test_preview_points_a_misspelt_leader_at_the_registered_person_and_offers_no_new_person(client, editor):
    person = make_person("陶斌", "市委常委、宣传部部长")
    text = sample_text().replace("宣传部部长陶斌", "宣传部部长陶彬")
    content = preview(client, text=text).content.decode()
    assert "市委常委、宣传部部长<strong>陶彬</strong>（" in content
    assert f"/admin/bulletins/person/{person.pk}/change/" in content
    assert "?name=%E9%99%B6%E5%BD%AC" not in content  # no 加入名录 for 陶彬


def test_preview_writes_nothing(client, editor):
    preview(client, text=sample_text())
    assert not Issue.objects.exists() and not Entry.objects.exists()


def test_preview_shows_what_the_parser_was_unsure_of(client, editor):
    text = "2023年文明城市创建(第2期)\n【单位行动】\n市税务局开展宣讲。"
    assert "这一段前面没有“●”" in preview(client, text=text).content.decode()


def test_confirm_creates_a_draft_with_links_and_an_audit_record(client, editor):
    person = make_person("陶斌", "市委常委、宣传部部长")
    response = confirm(client, preview(client, text=sample_text()))
    issue = Issue.objects.get()
    assert response.status_code == 302 and response.url == f"/admin/bulletins/issue/{issue.pk}/change/"
    assert issue.status == Issue.Status.DRAFT and issue.created_by == editor
    assert issue.entries.count() == 12
    assert person.entry_people.get().title_as_written == "市委常委、宣传部部长"
    assert AuditEvent.objects.get(action="import").user == editor


def test_confirm_starts_the_history_with_an_import_revision_holding_the_entries(client, editor):
    confirm(client, preview(client, text=sample_text()))
    issue = Issue.objects.get()
    version = versions_of(issue).get()
    assert version.revision.comment.startswith("从文件导入") and version.revision.user == editor
    assert version.revision.version_set.filter(content_type__model="entry").count() == 12


def test_cancel_writes_nothing(client, editor):
    preview(client, text=sample_text())
    response = client.post(URL, {"action": "cancel", "source_text": sample_text(), "filename": ""})
    assert response.status_code == 302 and response.url == "/admin/bulletins/issue/"
    assert not Issue.objects.exists() and not AuditEvent.objects.filter(action="import").exists()


def test_uploaded_word_file_is_previewed_and_imported(client, editor):
    document = Document()
    for text in ["2024年文明城市创建(第3期)", "【单位行动】", "●近日,市残联开展助残活动。"]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("第3期.docx", buffer.getvalue())
    response = preview(client, upload=upload)
    assert "【单位行动】 1条" in response.content.decode()
    confirm(client, response)
    assert Issue.objects.get().number == 3


def test_malformed_text_shows_a_chinese_error_and_writes_nothing(client, editor):
    response = preview(client, text="2023年文明城市创建(第13期)\n●近日,好。\n【领导活动】")
    assert "第2行：条目（●）出现在任何栏目之前" in response.content.decode()
    assert not Issue.objects.exists()


def test_upload_that_is_not_utf8_shows_the_file_name(client, editor):
    upload = SimpleUploadedFile("旧简报.txt", "2023年文明城市创建(第13期)".encode("gbk"))
    content = preview(client, upload=upload).content.decode()
    assert "文件“旧简报.txt”第1行：不是UTF-8编码" in content


def test_text_and_file_together_are_refused(client, editor):
    upload = SimpleUploadedFile("a.txt", sample_text().encode())
    assert "二选一" in preview(client, text=sample_text(), upload=upload).content.decode()


def test_existing_issue_is_named_and_cannot_be_confirmed(client, editor):
    existing = make_issue(year=2023, number=13)
    content = preview(client, text=sample_text()).content.decode()
    assert f"/admin/bulletins/issue/{existing.pk}/change/" in content
    assert "确认导入" not in content


def test_confirm_of_an_issue_that_appeared_meanwhile_is_refused(client, editor):
    response = preview(client, text=sample_text())
    make_issue(year=2023, number=13)
    content = confirm(client, response).content.decode()
    assert "已经存在，未重复导入" in content
    assert Entry.objects.count() == 0
    assert AuditEvent.objects.get(action="import").outcome == AuditEvent.Outcome.FAILURE


def test_word_file_with_malformed_xml_shows_a_chinese_error(client, editor):
    upload = SimpleUploadedFile("第3期.docx", hostile_docx.malformed_xml())
    response = preview(client, upload=upload)
    assert response.status_code == 200 and "不是有效的Word" in response.content.decode()


def test_word_zip_bomb_is_refused_by_the_same_reader_as_the_portal(client, editor):
    upload = SimpleUploadedFile("第3期.docx", hostile_docx.with_linked_zeros(64))
    response = preview(client, upload=upload)
    assert response.status_code == 200 and "解压后过大" in response.content.decode()
    assert not Issue.objects.exists()
