"""The editors' inbox: filters, search, preview, return and reject with a comment, adopt and merge."""

import pytest

from accounts.models import AuditEvent
from accounts.roles import EDITOR
from submissions.models import Submission

from .factories import make_correspondent, make_issue, make_staff, make_submission, make_unit, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_staff(EDITOR))
    return client


@pytest.fixture
def correspondent():
    return make_correspondent(make_unit())


def test_the_inbox_lists_sent_submissions_but_no_drafts(editor_client, correspondent):
    make_submission(correspondent, state="submitted", title="已报送的一篇")
    make_submission(correspondent, title="还在草稿的一篇")
    content = editor_client.get("/admin/submissions/submission/").content.decode()
    assert "已报送的一篇" in content and "还在草稿的一篇" not in content
    assert 'href="/admin/submissions/submission/report/"' in content


def test_the_inbox_filters_by_state_and_searches(editor_client, correspondent):
    make_submission(correspondent, state="submitted", title="文明交通劝导")
    make_submission(correspondent, state="not_adopted", title="植树活动")
    content = editor_client.get("/admin/submissions/submission/?state__exact=submitted").content.decode()
    assert "文明交通劝导" in content and "植树活动" not in content
    content = editor_client.get("/admin/submissions/submission/?q=植树").content.decode()
    assert "植树活动" in content and "文明交通劝导" not in content


def test_the_preview_shows_the_sanitised_body(editor_client, correspondent):
    submission = make_submission(correspondent, state="submitted", body="<p>正文<script>x()</script>内容</p>")
    content = editor_client.get(f"/admin/submissions/submission/{submission.pk}/change/").content.decode()
    assert "<p>正文内容</p>" in content and "x()" not in content


def test_an_editor_returns_a_submission_from_its_page(editor_client, correspondent):
    submission = make_submission(correspondent, state="submitted")
    editor_client.post(f"/admin/submissions/submission/{submission.pk}/decide/return/", {"comment": "请补充图片"})
    submission.refresh_from_db()
    assert submission.state == "returned" and submission.transitions.get().comment == "请补充图片"


def test_rejecting_without_a_reason_is_refused_with_a_message(editor_client, correspondent):
    submission = make_submission(correspondent, state="submitted")
    response = editor_client.post(f"/admin/submissions/submission/{submission.pk}/decide/reject/",
                                  {"comment": ""}, follow=True)
    assert "不采用必须填写理由" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "submitted"


def test_adopting_two_selected_submissions_merges_them_into_one_entry(editor_client):
    a = make_submission(make_correspondent(make_unit(name="市残疾人联合会", short_names="市残联")), state="submitted")
    b = make_submission(make_correspondent(make_unit(name="恩阳区", short_names="")), state="submitted")
    issue = make_issue()
    response = editor_client.post("/admin/submissions/submission/",
                                  {"action": "adopt_selected", "_selected_action": [a.pk, b.pk]})
    assert response.status_code == 302 and "/adopt/?ids=" in response["Location"]
    page = editor_client.get(response["Location"]).content.decode()
    assert "合并为一个条目" in page
    response = editor_client.post("/admin/submissions/submission/adopt/",
                                  {"ids": f"{a.pk},{b.pk}", "issue": issue.pk, "section": section("单位行动").pk})
    assert response.status_code == 302
    entry = issue.entries.get()
    assert set(entry.units.values_list("name", flat=True)) == {"市残疾人联合会", "恩阳区"}
    assert set(Submission.objects.values_list("state", flat=True)) == {"adopted"}


def test_recording_a_higher_adoption_is_audited(editor_client, correspondent):
    submission = make_submission(correspondent, state="adopted")
    editor_client.post(f"/admin/submissions/submission/{submission.pk}/change/",
                       {"higher_adoptions": 1, "leader_instructions": 0})
    submission.refresh_from_db()
    assert submission.higher_adoptions == 1
    assert AuditEvent.objects.filter(action="submission.score", object_id=str(submission.pk)).exists()


def test_the_inbox_runs_a_constant_number_of_queries(editor_client, correspondent, django_assert_max_num_queries):
    for number in range(3):
        make_submission(correspondent, state="submitted", title=f"第{number}篇")
    editor_client.get("/admin/submissions/submission/")
    with django_assert_max_num_queries(30) as few:
        editor_client.get("/admin/submissions/submission/")
    for number in range(20):
        make_submission(make_correspondent(), state="submitted", title=f"再{number}篇")
    few = len(few.captured_queries)  # counted now: the next request empties the query log
    editor_client.get("/admin/submissions/submission/")  # new units start a new content generation
    with django_assert_max_num_queries(few):
        editor_client.get("/admin/submissions/submission/")
