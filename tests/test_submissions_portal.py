"""The correspondents' portal: write, save, submit, resubmit; only their own unit; bounded input."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from accounts.roles import EDITOR
from bulletins.models import EntryImage
from bulletins.sanitize import MAX_BODY_CHARS
from submissions import workflow
from submissions.models import Submission

from . import hostile_docx
from .factories import make_correspondent, make_issue, make_staff, make_submission, make_unit, section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def correspondent():
    return make_correspondent(make_unit(), real_name="刘通讯", phone="13900000000")


@pytest.fixture
def portal(client, correspondent):
    client.force_login(correspondent)
    return client


def png(name="photo.png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def form_data(**overrides):
    data = {"title": "市残联开展助残日活动", "body": "5月19日，市残联开展助残日活动。\n志愿者走进社区。",
            "date_text": "5月19日", "section_wanted": "", "writer": "刘通讯", "writer_phone": "13900000000",
            "approver": "王主任", "action": "save"}
    data.update(overrides)
    return data


def test_the_portal_asks_for_a_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_the_login_page_is_chinese_and_has_no_inline_script(client):
    response = client.get("/portal/login/")
    content = response.content.decode()
    assert "通讯员登录" in content and "<script>" not in content
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_correspondent_saves_a_draft_with_paragraphs(portal, correspondent):
    response = portal.post("/portal/new/", form_data())
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/{submission.pk}/"
    assert submission.state == "draft" and submission.unit == correspondent.reporting_unit
    assert submission.body == "<p>5月19日，市残联开展助残日活动。</p><p>志愿者走进社区。</p>"


def test_the_body_is_escaped_not_trusted(portal):
    portal.post("/portal/new/", form_data(body='<script>alert(1)</script><img src=x onerror=alert(1)>'))
    body = Submission.objects.get().body
    assert "<script" not in body and "<img" not in body and "&lt;script&gt;" in body


def test_save_and_submit_in_one_step(portal):
    response = portal.post("/portal/new/", form_data(action="submit"))
    submission = Submission.objects.get()
    assert submission.state == "submitted"
    assert "已报送" in portal.get(response["Location"]).content.decode()


def test_a_picture_goes_through_the_image_pipeline(portal):
    portal.post("/portal/new/", form_data(picture_1=png(), alt_1="志愿者在社区服务"))
    submission = Submission.objects.get()
    picture = submission.pictures.get()
    assert picture.image.alt_text == "志愿者在社区服务" and picture.image.file.name.endswith(".png")
    assert "志愿者在社区服务" in portal.get(f"/portal/{submission.pk}/").content.decode()


def test_a_picture_without_a_description_is_refused_and_nothing_is_written(portal):
    response = portal.post("/portal/new/", form_data(picture_1=png()))
    assert response.status_code == 200 and "请填写替换文本" in response.content.decode()
    assert not Submission.objects.exists() and not EntryImage.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(portal):
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = portal.post("/portal/new/", form_data(picture_1=fake, alt_1="图"))
    assert "只能上传 JPEG、PNG、GIF 或 WebP" in response.content.decode()
    assert not Submission.objects.exists()


@override_settings(SUBMISSION_MAX_PICTURES=2)
def test_the_number_of_pictures_is_bounded(portal):
    response = portal.post("/portal/new/", form_data(picture_1=png(), alt_1="一", picture_2=png(), alt_2="二",
                                                     picture_3=png(), alt_3="三"))
    assert "最多 2 张图片" in response.content.decode()
    assert not Submission.objects.exists() and not EntryImage.objects.exists()


@override_settings(SUBMISSION_MAX_BODY_CHARS=50)
def test_a_body_too_long_is_refused_with_its_length(portal):
    response = portal.post("/portal/new/", form_data(body="字" * 51))
    assert "不能超过 50 字（现在 51 字）" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_body_can_come_from_a_text_file(portal):
    upload = SimpleUploadedFile("news.txt", "近日，市住建局开展文明工地创建。\n".encode(), content_type="text/plain")
    portal.post("/portal/new/", form_data(body="", attachment=upload))
    assert "文明工地" in Submission.objects.get().body


def test_a_file_of_another_kind_is_refused(portal):
    upload = SimpleUploadedFile("news.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = portal.post("/portal/new/", form_data(body="", attachment=upload))
    assert "只能上传 .docx 或 .txt 文件" in response.content.decode()


def test_missing_fields_are_named_in_chinese(portal):
    response = portal.post("/portal/new/", form_data(title="", body="", approver=""))
    content = response.content.decode()
    assert "请填写正文" in content and "这个字段是必填项" in content
    assert not Submission.objects.exists()


def test_the_list_shows_only_the_own_units_submissions(portal, correspondent):
    make_submission(correspondent, title="本单位的信息")
    make_submission(make_correspondent(), title="别的单位的信息")
    content = portal.get("/portal/").content.decode()
    assert "本单位的信息" in content and "别的单位的信息" not in content


def test_the_changes_list_others_decisions_on_the_own_units_submissions_only(portal, correspondent):
    editor = make_staff(EDITOR)
    own = make_submission(correspondent, state="submitted", title="本单位的信息")
    workflow.return_submission(own, by=editor, comment="请补充参与人数")
    other = make_submission(make_correspondent(), state="submitted", title="别的单位的信息")
    workflow.return_submission(other, by=editor, comment="别的单位的意见")
    portal.post(f"/portal/{own.pk}/edit/", form_data(title="本单位的信息", action="submit"))
    content = portal.get("/portal/").content.decode()
    changes = content.split('id="changes-title"', 1)[1].split("</section>", 1)[0]
    assert "《" in changes and "本单位的信息" in changes and "请补充参与人数" in changes
    assert "重新报送" not in changes  # the correspondent's own action
    assert "别的单位" not in changes


def test_a_transition_keeps_the_unit_of_its_submission(correspondent):
    submission = make_submission(correspondent, state="submitted")
    record = workflow.reject(submission, by=make_staff(EDITOR), reason="重复")
    assert record.unit_id == submission.unit_id == correspondent.reporting_unit_id


def test_another_units_submission_is_not_found(portal):
    other = make_submission(make_correspondent(), state="draft")
    for url in (f"/portal/{other.pk}/", f"/portal/{other.pk}/edit/"):
        assert portal.get(url).status_code == 404
    assert portal.post(f"/portal/{other.pk}/submit/").status_code == 404
    other.refresh_from_db()
    assert other.state == "draft"


def test_a_submitted_piece_cannot_be_edited_from_the_portal(portal, correspondent):
    submission = make_submission(correspondent, state="submitted")
    response = portal.post(f"/portal/{submission.pk}/edit/", form_data(title="改"))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title != "改"


def test_returned_comment_shows_and_resubmit_works(portal, correspondent):
    submission = make_submission(correspondent, state="submitted")
    workflow.return_submission(submission, by=make_staff(EDITOR), comment="请补充参与人数")
    content = portal.get("/portal/").content.decode()
    assert "退回修改" in content and "请补充参与人数" in content
    portal.post(f"/portal/{submission.pk}/edit/", form_data(body="补充：共50人参加。", action="submit"))
    submission.refresh_from_db()
    assert submission.state == "submitted" and "50人" in submission.body


def test_the_link_to_the_entry_appears_once_the_issue_is_public(portal, correspondent):
    submission = make_submission(correspondent, state="submitted")
    issue = make_issue()
    workflow.adopt([submission], by=make_staff(EDITOR), issue=issue, section=section())
    assert issue.get_absolute_url() not in portal.get(f"/portal/{submission.pk}/").content.decode()
    issue.status, issue.published_at = "published", issue.created_at
    issue.save()
    content = portal.get(f"/portal/{submission.pk}/").content.decode()
    assert issue.get_absolute_url() in content and "已采用" in content


@override_settings(SUBMISSIONS_PER_HOUR=1)
def test_the_hourly_limit_keeps_the_draft_and_says_so(portal):
    portal.post("/portal/new/", form_data(action="submit"))
    response = portal.post("/portal/new/", form_data(title="第二篇", action="submit"), follow=True)
    assert "每个账号每小时最多报送 1 篇" in response.content.decode()
    assert Submission.objects.get(title="第二篇").state == "draft"


def test_the_list_runs_a_constant_number_of_queries(portal, correspondent, django_assert_max_num_queries):
    editor = make_staff(EDITOR)
    for number in range(3):
        workflow.reject(make_submission(correspondent, state="submitted", title=f"第{number}篇"), by=editor,
                        reason="重复")
    portal.get("/portal/")  # the site settings row and the session are written once
    with django_assert_max_num_queries(16) as few:
        portal.get("/portal/")
    for number in range(15):
        workflow.reject(make_submission(correspondent, state="submitted", title=f"再{number}篇"), by=editor,
                        reason="重复")
    with django_assert_max_num_queries(len(few.captured_queries)):
        portal.get("/portal/")


def test_a_correspondent_with_a_temporary_password_is_sent_to_the_portals_page(client, correspondent):
    correspondent.must_change_password = True
    correspondent.save()
    client.force_login(correspondent)
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"] == "/portal/password/"
    assert client.get("/portal/password/").status_code == 200


# Bounded output: what the server makes of the input is held to the same limits


@override_settings(SUBMISSION_MAX_BODY_CHARS=20_000)
def test_a_body_that_grows_past_the_entry_limit_when_escaped_is_refused_in_chinese(portal):
    """19,000 ampersands are under the portal's limit and 95,000 characters once escaped: a 500 before."""
    response = portal.post("/portal/new/", form_data(body="&" * 19_000))
    assert response.status_code == 200
    assert f"正文转换为网页格式后超过{MAX_BODY_CHARS}字符的上限" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_word_file_with_malformed_xml_is_refused_in_chinese(portal):
    upload = SimpleUploadedFile("news.docx", hostile_docx.malformed_xml())
    response = portal.post("/portal/new/", form_data(body="", attachment=upload))
    assert response.status_code == 200 and "不是有效的Word" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_word_zip_bomb_is_refused_in_chinese(portal):
    upload = SimpleUploadedFile("news.docx", hostile_docx.with_linked_zeros(64))
    response = portal.post("/portal/new/", form_data(body="", attachment=upload))
    assert response.status_code == 200 and "解压后过大" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_title_with_line_breaks_and_control_characters_is_stored_on_one_line(portal):
    portal.post("/portal/new/", form_data(title="市残联开展\r\n助残日活动\tBcc:\x1bx@example.com\u2028"))
    assert Submission.objects.get().title == "市残联开展 助残日活动 Bcc: x@example.com"


def test_a_title_of_only_line_breaks_is_missing(portal):
    response = portal.post("/portal/new/", form_data(title="\r\n\x0b"))
    assert "请填写标题" in response.content.decode() or "这个字段是必填项" in response.content.decode()
    assert not Submission.objects.exists()
