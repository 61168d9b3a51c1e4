import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from bulletins import workflow
from bulletins.models import Entry, Issue
from bulletins.revisions import diff, inline_diff, save_revision, versions_of

from .factories import make_entry, make_issue, make_staff, section

pytestmark = pytest.mark.django_db

Status = Issue.Status


def snapshot(issue, user, comment):
    with reversion.create_revision(manage_manually=True):
        save_revision(issue, user=user, comment=comment)
    return versions_of(issue).first()


@pytest.fixture
def editor():
    return make_staff("编辑")


@pytest.fixture
def two_versions(editor):
    """v1: A, B, C in 领导活动; v2: A's text changed, B moved to 单位行动, C removed, D added."""
    issue = make_issue()
    a = make_entry(issue, body="<p>市委召开创文工作推进会。</p>", order=1)
    b = make_entry(issue, body="<p>市残联开展助残志愿服务。</p>", order=2)
    c = make_entry(issue, body="<p>近日，各区检查背街小巷。</p>", order=3)
    v1 = snapshot(issue, editor, "新建")
    a.body = "<p>市委召开创文工作部署会。</p>"
    a.save()
    b.section = section("单位行动")
    b.order = 1
    b.save()
    c.delete()
    d = make_entry(issue, body="<p>市文明办发布倡议书。</p>", order=4)
    v2 = snapshot(issue, editor, "修改")
    return issue, v1, v2, {"a": a, "b": b, "c": c, "d": d}


def kinds(result):
    return sorted((change.kind, change.entry.text) for change in result.entries)


def test_diff_finds_added_removed_moved_and_changed_entries(two_versions):
    issue, v1, v2, _ = two_versions
    assert kinds(diff(v1, v2)) == sorted([
        ("changed", "市委召开创文工作部署会。"),
        ("moved", "市残联开展助残志愿服务。"),
        ("removed", "近日，各区检查背街小巷。"),
        ("added", "市文明办发布倡议书。"),
    ])


def test_diff_of_a_moved_entry_names_both_places(two_versions):
    _, v1, v2, _ = two_versions
    moved = next(change for change in diff(v1, v2).entries if change.kind == "moved")
    assert (moved.old.place, moved.entry.place) == ("【领导活动】第2条", "【单位行动】第1条")


def test_diff_highlights_changed_chinese_characters_inline(two_versions):
    _, v1, v2, _ = two_versions
    changed = next(change for change in diff(v1, v2).entries if change.kind == "changed")
    assert str(changed.text_diff) == "市委召开创文工作<del>推进</del><ins>部署</ins>会。"


def test_inline_diff_escapes_html():
    assert str(inline_diff("<b>", "<i>")) == "&lt;<del>b</del><ins>i</ins>&gt;"


def test_diff_of_identical_versions_is_empty(two_versions):
    _, v1, _, _ = two_versions
    assert diff(v1, v1).is_empty


def test_diff_lists_changed_issue_fields(editor):
    issue = make_issue(source="市创文办")
    v1 = snapshot(issue, editor, "新建")
    issue.source = "市文明办"
    issue.save()
    v2 = snapshot(issue, editor, "修改")
    assert diff(v1, v2).fields == [("来源", "市创文办", "市文明办")]


def test_restore_makes_the_old_revision_the_current_draft(two_versions, editor):
    issue, v1, _, entries = two_versions
    workflow.restore(v1, by=editor)
    issue.refresh_from_db()
    assert issue.status == Status.DRAFT
    assert sorted(Entry.objects.filter(issue=issue).values_list("plain_text", flat=True)) == sorted(
        ["市委召开创文工作推进会。", "市残联开展助残志愿服务。", "近日，各区检查背街小巷。"]
    )
    assert Entry.objects.get(pk=entries["b"].pk).section == section("领导活动")


def test_restore_keeps_the_newer_revisions_and_adds_one(two_versions, editor):
    issue, v1, v2, _ = two_versions
    workflow.restore(v1, by=editor)
    versions = list(versions_of(issue))
    assert len(versions) == 3
    assert v2 in versions
    assert versions[0].revision.comment.startswith("恢复为")
    assert versions[0].revision.user == editor


def test_restore_bumps_the_version_past_the_current_one(two_versions, editor):
    issue, v1, _, _ = two_versions
    Issue.objects.filter(pk=issue.pk).update(version=7)
    workflow.restore(v1, by=editor)
    assert Issue.objects.get(pk=issue.pk).version == 8


def test_restore_of_an_issue_in_review_returns_it_to_draft(editor):
    reviewer = make_staff("审核")
    issue = make_issue(status=Status.IN_REVIEW)
    make_entry(issue)
    old = snapshot(issue, editor, "修改")
    workflow.restore(old, by=reviewer)
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT


def test_restore_is_refused_to_someone_who_may_not_edit(two_versions):
    issue, v1, _, _ = two_versions
    with pytest.raises(PermissionDenied):
        workflow.restore(v1, by=make_staff("审核"))


def test_restore_never_goes_directly_into_a_published_issue(editor):
    signer = make_staff("签发")
    issue = make_issue(status=Status.PUBLISHED)
    old = snapshot(issue, signer, "更正")
    with pytest.raises(workflow.WorkflowError, match="已发布"):
        workflow.restore(old, by=signer)
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED


# Admin -------------------------------------------------------------------------------


def test_admin_save_stores_a_revision_with_its_entries_and_without_deleted_ones(client, editor):
    client.force_login(editor)
    issue = make_issue()
    keep, drop = make_entry(issue, order=1), make_entry(issue, body="<p>删除这一条。</p>", order=2)
    data = {
        "year": issue.year, "number": issue.number, "title": issue.title, "source": "", "expected_version": 1,
        "entries-TOTAL_FORMS": 2, "entries-INITIAL_FORMS": 2, "entries-MIN_NUM_FORMS": 0,
        "entries-MAX_NUM_FORMS": 1000,
    }
    for index, entry in enumerate([keep, drop]):
        data.update({f"entries-{index}-id": entry.pk, f"entries-{index}-issue": issue.pk,
                     f"entries-{index}-section": entry.section_id, f"entries-{index}-order": entry.order,
                     f"entries-{index}-body": entry.body, f"entries-{index}-date_text": "",
                     f"entries-{index}-event_date": ""})
    data["entries-1-DELETE"] = "on"
    response = client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302, response.content.decode()
    version = versions_of(issue).get()
    assert version.revision.user == editor
    assert version.revision.comment == "修改"
    entry_ids = {int(v.object_id) for v in version.revision.version_set.all() if v.content_type.model == "entry"}
    assert entry_ids == {keep.pk}


def test_history_page_shows_who_when_and_which_step(client, two_versions, editor):
    issue, *_ = two_versions
    workflow.submit(issue, by=editor)
    client.force_login(editor)
    html = client.get(reverse("admin:bulletins_issue_history", args=[issue.pk])).content.decode()
    assert "提交审核" in html and "新建" in html
    assert editor.username in html


def test_compare_page_shows_the_entry_diff(client, two_versions, editor):
    issue, v1, v2, _ = two_versions
    client.force_login(editor)
    url = reverse("admin:bulletins_issue_compare", args=[issue.pk])
    html = client.get(url, {"from": v1.pk, "to": v2.pk}).content.decode()
    assert "<del>推进</del><ins>部署</ins>" in html
    assert "新增" in html and "删除" in html and "移动" in html


def test_compare_page_rejects_a_version_of_another_issue(client, two_versions, editor):
    issue, v1, _, _ = two_versions
    other = make_issue()
    other_version = snapshot(other, editor, "新建")
    client.force_login(editor)
    url = reverse("admin:bulletins_issue_compare", args=[issue.pk])
    assert client.get(url, {"from": v1.pk, "to": other_version.pk}).status_code == 404


def test_restore_button_restores_as_draft(client, two_versions, editor):
    issue, v1, _, _ = two_versions
    client.force_login(editor)
    response = client.post(reverse("admin:bulletins_issue_restore", args=[issue.pk, v1.pk]), {"version": 1})
    assert response.status_code == 302
    assert Entry.objects.filter(issue=issue).count() == 3
    assert Version.objects.get_for_object(issue).count() == 3


def test_restore_button_is_forbidden_to_someone_who_may_not_edit(client, two_versions):
    issue, v1, _, _ = two_versions
    client.force_login(make_staff("审核"))
    response = client.post(reverse("admin:bulletins_issue_restore", args=[issue.pk, v1.pk]), {"version": 1})
    assert response.status_code == 403
    assert "市委召开创文工作部署会。" in Entry.objects.filter(issue=issue).values_list("plain_text", flat=True)


def test_diff_lists_changed_distribution_fields(editor):
    issue = make_issue()
    v1 = snapshot(issue, editor, "新建")
    issue.issue_to, issue.print_run = "各乡镇（街道）", 60
    issue.save()
    v2 = snapshot(issue, editor, "修改版记")
    assert diff(v1, v2).fields == [("版记·发", "", "各乡镇（街道）"), ("印数", "", "60")]
