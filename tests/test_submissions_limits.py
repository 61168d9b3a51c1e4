"""The portal's bounds (submissions/limits.py) and the correspondent's own delete of a draft."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from bulletins.models import EntryImage, Unit
from submissions import workflow
from submissions.models import Submission, SubmissionTransition

from .factories import make_correspondent, make_submission, make_unit
# The portal's own fixtures: a correspondent signed in, pictures in a folder of the test's own.
from .test_submissions_portal import correspondent, form_data, media, png, portal  # noqa: F401

pytestmark = pytest.mark.django_db




def _stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


# The hourly limit holds under concurrency ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@override_settings(SUBMISSIONS_PER_HOUR=10)
def test_25_concurrent_submissions_let_at_most_the_hourly_limit_through(correspondent):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; the locking path is tested below")
    drafts = [make_submission(correspondent, title=f"第{number}篇") for number in range(25)]
    start = threading.Barrier(len(drafts))
    outcomes = []

    def send(draft):
        try:
            start.wait()
            workflow.submit(draft, by=correspondent)
            outcomes.append("sent")
        except workflow.LimitReached:
            outcomes.append("refused")
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=send, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 15 + ["sent"] * 10
    assert Submission.objects.filter(state="submitted").count() == 10
    assert SubmissionTransition.objects.count() == 10


def test_the_hourly_count_is_taken_under_the_units_row_lock(correspondent):
    with CaptureQueriesContext(connection) as queries:
        workflow.submit(make_submission(correspondent), by=correspondent)
    sql = [query["sql"] for query in queries.captured_queries]
    unit_table, transition_table = Unit._meta.db_table, SubmissionTransition._meta.db_table
    lock = next(i for i, q in enumerate(sql) if q.startswith("SELECT") and f'FROM "{unit_table}"' in q)
    count = next(i for i, q in enumerate(sql) if "COUNT(" in q and f'FROM "{transition_table}"' in q)
    insert = next(i for i, q in enumerate(sql) if q.startswith(f'INSERT INTO "{transition_table}"'))
    assert lock < count < insert
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in sql[lock]


# Drafts and pictures ------------------------------------------------------------------------


@override_settings(SUBMISSION_MAX_DRAFTS=2)
def test_a_correspondent_keeps_at_most_the_draft_quota_and_is_told_so(portal, correspondent, media):
    for number in range(2):
        assert portal.post("/portal/new/", form_data(title=f"草稿{number}")).status_code == 302
    response = portal.post("/portal/new/", form_data(title="第三篇", picture_1=png(), alt_1="志愿者"))
    assert response.status_code == 200
    assert "您已有 2 篇草稿，这是上限" in response.content.decode()
    assert "第三篇" in response.content.decode()  # the text is still in the form
    assert Submission.objects.count() == 2 and not EntryImage.objects.exists() and not _stored_files(media)
    workflow.submit(Submission.objects.first(), by=correspondent)
    assert portal.post("/portal/new/", form_data(title="第三篇")).status_code == 302


@override_settings(SUBMISSION_MAX_DRAFTS=1)
def test_the_draft_quota_is_per_correspondent(correspondent):
    colleague = make_correspondent(correspondent.reporting_unit)
    make_submission(correspondent)
    draft = Submission(unit=colleague.reporting_unit, title="同事的草稿", body="<p>内容</p>", writer="王",
                       writer_phone="1", approver="李")
    workflow.save(draft, by=colleague)
    with pytest.raises(workflow.LimitReached):
        workflow.save(Submission(unit=correspondent.reporting_unit, title="又一篇", body="<p>内容</p>", writer="刘",
                                 writer_phone="1", approver="李"), by=correspondent)


def test_the_pictures_a_unit_keeps_undecided_are_bounded(portal, media, settings):
    portal.post("/portal/new/", form_data(picture_1=png(), alt_1="第一张"))
    settings.SUBMISSION_MAX_UNIT_PICTURE_BYTES = EntryImage.objects.get().size + 10
    files = _stored_files(media)
    response = portal.post("/portal/new/", form_data(title="第二篇", picture_1=png(), alt_1="第二张"))
    assert response.status_code == 200 and "上限为 0 MB" in response.content.decode()
    assert EntryImage.objects.count() == 1 and _stored_files(media) == files
    assert portal.post("/portal/new/", form_data(title="第二篇")).status_code == 302  # text alone is fine


# Deleting a draft ----------------------------------------------------------------------------


def test_a_correspondent_deletes_an_own_draft_with_its_pictures(portal, media, django_capture_on_commit_callbacks):
    portal.post("/portal/new/", form_data(picture_1=png(), alt_1="志愿者"))
    submission = Submission.objects.get()
    assert f"/portal/{submission.pk}/delete/" in portal.get(f"/portal/{submission.pk}/").content.decode()
    assert "确定删除草稿" in portal.get(f"/portal/{submission.pk}/delete/").content.decode()
    assert _stored_files(media)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(f"/portal/{submission.pk}/delete/", follow=True)
    assert "已删除草稿" in response.content.decode()
    assert not Submission.objects.exists() and not EntryImage.objects.exists() and not _stored_files(media)
    event = AuditEvent.objects.get(action="submission.delete")
    assert event.detail == submission.title


@pytest.mark.parametrize("state", ["submitted", "returned", "adopted", "not_adopted"])
def test_a_sent_submission_cannot_be_deleted(portal, correspondent, state):
    submission = make_submission(correspondent, state=state)
    assert "删除草稿" not in portal.get(f"/portal/{submission.pk}/").content.decode()
    assert portal.post(f"/portal/{submission.pk}/delete/").status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()
    with pytest.raises(PermissionDenied):
        workflow.delete_draft(submission, by=correspondent)


def test_only_the_writer_deletes_a_draft(portal, correspondent):
    colleagues = make_submission(make_correspondent(correspondent.reporting_unit))
    other_units = make_submission(make_correspondent(make_unit(name="市文明办", short_names="")))
    assert portal.post(f"/portal/{colleagues.pk}/delete/").status_code == 403
    assert portal.post(f"/portal/{other_units.pk}/delete/").status_code == 404
    assert Submission.objects.count() == 2


def test_deleting_needs_the_csrf_token(correspondent):
    submission = make_submission(correspondent)
    client = Client(enforce_csrf_checks=True)
    client.force_login(correspondent)
    assert client.post(f"/portal/{submission.pk}/delete/").status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()
