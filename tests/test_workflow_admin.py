import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.models import AuditEvent
from bulletins.models import Issue, IssueTransition

from .factories import make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status
EDITOR, REVIEWER, SIGNER = "编辑", "审核", "签发"
CHANGELIST = reverse("admin:bulletins_issue_changelist")


def change_url(issue):
    return reverse("admin:bulletins_issue_change", args=[issue.pk])


def transition_url(issue, action):
    return reverse("admin:bulletins_issue_transition", args=[issue.pk, action])


def login(client, *roles):
    user = make_staff(*roles)
    client.force_login(user)
    return user


def buttons(response):
    html = response.content.decode()
    return {action for action in ("submit", "pass", "return", "publish", "withdraw")
            if f'name="transition" value="{action}"' in html}


@pytest.mark.parametrize(
    "status,role,expected",
    [
        (Status.DRAFT, EDITOR, {"submit"}),
        (Status.DRAFT, REVIEWER, set()),
        (Status.DRAFT, SIGNER, set()),
        (Status.IN_REVIEW, EDITOR, set()),
        (Status.IN_REVIEW, REVIEWER, {"pass", "return"}),
        (Status.IN_REVIEW, SIGNER, set()),
        (Status.AWAITING_SIGNOFF, REVIEWER, set()),
        (Status.AWAITING_SIGNOFF, SIGNER, {"return", "publish"}),
        (Status.PUBLISHED, EDITOR, set()),
        (Status.PUBLISHED, SIGNER, {"withdraw"}),
        (Status.WITHDRAWN, SIGNER, set()),
    ],
)
def test_issue_page_shows_exactly_the_buttons_the_user_may_use(client, status, role, expected):
    login(client, role)
    response = client.get(change_url(make_issue(status=status)))
    assert response.status_code == 200
    assert buttons(response) == expected


def test_issue_page_links_to_preview_and_print_preview(client):
    login(client, EDITOR)
    issue = make_issue()
    html = client.get(change_url(issue)).content.decode()
    assert f'href="{issue.get_absolute_url()}"' in html
    assert f'href="{issue.get_print_url()}"' in html


def test_preview_shows_a_draft_to_an_editor_with_the_banner(client):
    login(client, EDITOR)
    issue = make_issue()
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert "预览" in response.content.decode()


def test_preview_of_a_draft_is_not_shown_to_the_public(client):
    assert client.get(make_issue().get_absolute_url()).status_code == 404


def test_button_submits_the_issue(client):
    login(client, EDITOR)
    issue = make_issue()
    response = client.post(transition_url(issue, "submit"), {"version": 1})
    assert response.status_code == 302
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW


def test_hand_posted_publish_by_an_editor_is_forbidden(client):
    login(client, EDITOR)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    assert client.post(transition_url(issue, "publish"), {"version": 1, "when": "now"}).status_code == 403
    assert Issue.objects.get(pk=issue.pk).status == Status.AWAITING_SIGNOFF


def test_hand_posted_return_by_a_reviewer_awaiting_signoff_is_forbidden(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    assert client.post(transition_url(issue, "return"), {"version": 1, "comment": "改"}).status_code == 403
    assert Issue.objects.get(pk=issue.pk).status == Status.AWAITING_SIGNOFF


def test_transition_url_refuses_get(client):
    login(client, SIGNER)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    assert client.get(transition_url(issue, "publish")).status_code == 405


def test_publishing_a_draft_directly_shows_a_chinese_error_and_changes_nothing(client):
    login(client, SIGNER)
    issue = make_issue()
    response = client.post(transition_url(issue, "publish"), {"version": 1, "when": "now"}, follow=True)
    assert "当前状态为“草稿”，不能签发发布" in response.content.decode()
    issue.refresh_from_db()
    assert (issue.status, issue.version) == (Status.DRAFT, 1)


def test_return_without_comment_shows_an_error(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.IN_REVIEW)
    response = client.post(transition_url(issue, "return"), {"version": 1, "comment": ""}, follow=True)
    assert "退回必须填写意见" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW


def test_return_with_comment_records_it(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.IN_REVIEW)
    client.post(transition_url(issue, "return"), {"version": 1, "comment": "第二条日期有误"})
    assert IssueTransition.objects.get(issue=issue).comment == "第二条日期有误"


def test_button_with_a_stale_version_is_refused(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.IN_REVIEW)
    Issue.objects.filter(pk=issue.pk).update(version=3)
    response = client.post(transition_url(issue, "pass"), {"version": 2}, follow=True)
    assert "请刷新页面" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW


def test_publish_button_schedules_for_the_given_time(client):
    login(client, SIGNER)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    client.post(transition_url(issue, "publish"), {"version": 1, "when": "scheduled", "publish_at": "2099-01-02T08:30"})
    issue.refresh_from_db()
    assert issue.is_scheduled
    assert issue.published_at.isoformat().startswith("2099-01-02T00:30")  # 08:30 in Asia/Shanghai


def test_publish_button_with_a_bad_time_shows_an_error(client):
    login(client, SIGNER)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    response = client.post(transition_url(issue, "publish"), {"version": 1, "when": "scheduled", "publish_at": "明天"},
                           follow=True)
    assert "请填写定时发布的日期和时间" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.AWAITING_SIGNOFF


def test_publish_form_offers_override_when_blocking_findings_exist(client, monkeypatch):
    from bulletins import checks

    finding = checks.Finding(severity=checks.BLOCKING, message="领导姓名写错")
    monkeypatch.setattr(checks, "run_checks", lambda issue: [finding])
    login(client, SIGNER)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    html = client.get(change_url(issue)).content.decode()
    assert 'name="override_reason"' in html and "领导姓名写错" in html
    client.post(transition_url(issue, "publish"), {"version": 1, "when": "now", "override_reason": "已核实"})
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED


# Editing rights per state -----------------------------------------------------------


def edit_data(issue, **changes):
    data = {
        "year": issue.year, "number": issue.number, "title": issue.title, "source": issue.source,
        "expected_version": issue.version,
        "entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0, "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "status,role,may_edit",
    [
        (Status.DRAFT, EDITOR, True),
        (Status.DRAFT, REVIEWER, False),
        (Status.IN_REVIEW, EDITOR, False),
        (Status.IN_REVIEW, REVIEWER, True),
        (Status.AWAITING_SIGNOFF, REVIEWER, False),
        (Status.AWAITING_SIGNOFF, SIGNER, True),
        (Status.PUBLISHED, REVIEWER, False),
        (Status.PUBLISHED, SIGNER, True),
        (Status.WITHDRAWN, SIGNER, False),
    ],
)
def test_saving_the_issue_form_follows_the_editing_rights(client, status, role, may_edit):
    login(client, role)
    issue = make_issue(status=status, source="市创文办")
    response = client.post(change_url(issue), edit_data(issue, source="市文明办"))
    issue.refresh_from_db()
    if may_edit:
        assert response.status_code == 302
        assert issue.source == "市文明办"
    else:
        assert response.status_code == 403
        assert issue.source == "市创文办"


def test_issue_page_is_read_only_for_someone_who_may_not_edit_it(client):
    login(client, EDITOR)
    issue = make_issue(status=Status.IN_REVIEW)
    html = client.get(change_url(issue)).content.decode()
    assert 'name="source"' not in html
    assert 'name="expected_version"' not in html


def test_correcting_a_published_issue_is_recorded_as_a_revision_named_correction(client):
    from reversion.models import Version

    login(client, SIGNER)
    issue = make_issue(status=Status.PUBLISHED)
    client.post(change_url(issue), edit_data(issue, source="更正后的来源"))
    assert Version.objects.get_for_object(issue).first().revision.comment == "更正"


def test_admin_save_bumps_the_version_and_stamps_the_user(client):
    editor = login(client, EDITOR)
    issue = make_issue()
    client.post(change_url(issue), edit_data(issue, source="新来源"))
    issue.refresh_from_db()
    assert (issue.version, issue.updated_by) == (2, editor)


def test_editor_may_not_add_entries_to_an_issue_in_review_through_the_entry_page(client):
    from bulletins.models import Entry

    login(client, EDITOR)
    issue = make_issue(status=Status.IN_REVIEW)
    entry = make_entry(issue)
    response = client.post(reverse("admin:bulletins_entry_change", args=[entry.pk]),
                           {"issue": issue.pk, "section": entry.section_id, "order": 0, "body": "<p>改</p>"})
    assert response.status_code == 403
    assert Entry.objects.get(pk=entry.pk).body != "<p>改</p>"


def test_status_column_shows_scheduled_issues_with_their_time(client, tomorrow):
    login(client, SIGNER)
    make_issue(status=Status.PUBLISHED, published_at=tomorrow)
    html = client.get(CHANGELIST).content.decode()
    assert "定时发布（" in html


# List actions -------------------------------------------------------------------------


def act(client, action, issues, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [issue.pk for issue in issues], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_list_action_submits_selected_drafts(client):
    login(client, EDITOR)
    issues = [make_issue(), make_issue()]
    act(client, "submit_selected", issues, index=0)
    assert set(Issue.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}


def test_list_action_skips_issues_in_the_wrong_state_with_a_message(client):
    login(client, REVIEWER)
    ready, draft = make_issue(status=Status.IN_REVIEW), make_issue()
    response = act(client, "pass_selected", [ready, draft], index=0)
    assert Issue.objects.get(pk=ready.pk).status == Status.AWAITING_SIGNOFF
    assert Issue.objects.get(pk=draft.pk).status == Status.DRAFT
    assert "不能通过审核" in response.content.decode()


def test_list_actions_offered_follow_the_role(client):
    login(client, EDITOR)
    make_issue()
    html = client.get(CHANGELIST).content.decode()
    assert 'value="submit_selected"' in html
    assert 'value="publish_selected"' not in html
    assert 'value="withdraw_selected"' not in html


def test_list_action_publish_by_editor_is_refused(client):
    login(client, EDITOR)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    act(client, "publish_selected", [issue], index=0)
    assert Issue.objects.get(pk=issue.pk).status == Status.AWAITING_SIGNOFF


def test_list_action_return_asks_for_a_comment_first(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.IN_REVIEW)
    response = act(client, "return_selected", [issue], index=0)
    assert 'name="comment"' in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW


def test_list_action_return_with_comment_returns_the_issues(client):
    login(client, REVIEWER)
    issue = make_issue(status=Status.IN_REVIEW)
    act(client, "return_selected", [issue], post="yes", comment="标题有误")
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT
    assert IssueTransition.objects.get(issue=issue).comment == "标题有误"


def test_list_action_withdraw_with_reason_withdraws(client):
    login(client, SIGNER)
    issue = make_issue(status=Status.PUBLISHED)
    act(client, "withdraw_selected", [issue], post="yes", comment="重复发布")
    issue.refresh_from_db()
    assert (issue.status, issue.withdrawn_reason) == (Status.WITHDRAWN, "重复发布")


def test_list_action_withdraw_without_reason_changes_nothing(client):
    login(client, SIGNER)
    issue = make_issue(status=Status.PUBLISHED)
    response = act(client, "withdraw_selected", [issue], post="yes", comment="")
    assert "请填写" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED


def test_editor_adds_a_new_issue_as_a_draft_stamped_with_the_user(client):
    editor = login(client, EDITOR)
    response = client.post(reverse("admin:bulletins_issue_add"), {
        "year": 2026, "number": 3, "title": "", "source": "市创文办", "expected_version": "",
        "entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0, "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
    })
    assert response.status_code == 302
    issue = Issue.objects.get(year=2026, number=3)
    assert (issue.status, issue.created_by, issue.version) == (Status.DRAFT, editor, 1)


def test_reviewer_may_not_add_issues(client):
    login(client, REVIEWER)
    assert client.get(reverse("admin:bulletins_issue_add")).status_code == 403


def test_only_drafts_may_be_deleted(client):
    login(client, EDITOR)
    draft, in_review = make_issue(), make_issue(status=Status.IN_REVIEW)
    client.post(reverse("admin:bulletins_issue_delete", args=[in_review.pk]), {"post": "yes"})
    client.post(reverse("admin:bulletins_issue_delete", args=[draft.pk]), {"post": "yes"})
    assert Issue.objects.filter(pk=in_review.pk).exists()
    assert not Issue.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="issue.delete", object_id=str(draft.pk)).exists()


def test_publish_form_offers_a_default_schedule_time_in_local_form(client):
    login(client, SIGNER)
    html = client.get(change_url(make_issue(status=Status.AWAITING_SIGNOFF))).content.decode()
    assert re.search(r'name="publish_at" id="id_publish_at" value="\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"', html)


def test_issue_list_offers_no_bulk_delete(client):
    login(client, EDITOR)
    make_issue()
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


def test_the_same_proofreading_warning_on_many_entries_is_shown_once_with_its_places(client):
    earlier = make_issue(number=12, status=Status.PUBLISHED)
    issue = make_issue(number=13)
    bodies = [f"<p>近日，第{n}个社区开展了文明劝导志愿服务活动，共有数十名志愿者参加。</p>" for n in range(5)]
    for order, body in enumerate(bodies):
        make_entry(earlier, body=body, order=order)
        make_entry(issue, body=body, order=order)
    login(client, EDITOR)
    response = client.post(transition_url(issue, "submit"), {"version": issue.version}, follow=True)
    warnings = [str(m) for m in response.context["messages"] if "校对提示" in str(m)]
    repeated = [text for text in warnings if "条目重复" in text]
    assert len(repeated) == 1
    assert "等5处" in repeated[0] and "领导活动" in repeated[0]


def test_a_new_entry_may_go_only_into_an_issue_the_user_may_edit(client):
    login(client, EDITOR)
    draft, in_review = make_issue(), make_issue(status=Status.IN_REVIEW)
    form = client.get(reverse("admin:bulletins_entry_add")).context["adminform"].form
    assert list(form.fields["issue"].queryset) == [draft]
