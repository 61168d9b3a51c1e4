"""The states of a submission: 草稿 → 已报送 → 已采用 / 未采用 / 退回修改 (→ 已报送 again).

Each change is one function with keyword-only arguments. It checks who may act and the current
state on the server (under a row lock), runs in one transaction, records a SubmissionTransition
(who, when, comment) and an audit event, and mails the correspondent after commit. Refusals raise
`PermissionDenied` (403) or `SubmissionError` (a Chinese message saying what to fix).
"""

import functools
import html

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts import audit
from bulletins import workflow as issue_workflow
from bulletins.linking import link_entry
from bulletins.models import Entry, EntryImage, Issue
from bulletins.sanitize import MAX_BODY_CHARS, BodyRejected, sanitize_html

from . import limits, notifications
from .access import correspondent_unit_id, may_handle
from .errors import LimitReached, SubmissionError  # noqa: F401 - raised here; callers catch them from here
from .models import Submission, SubmissionTransition

State = Submission.State
Action = SubmissionTransition.Action

EDITABLE = (State.DRAFT, State.RETURNED)


def may_edit(user, submission):
    """The unit's correspondent edits a draft or a returned submission; nobody else edits it."""
    unit_id = correspondent_unit_id(user)
    return unit_id is not None and unit_id == submission.unit_id and submission.state in EDITABLE


def may_delete(user, submission):
    """Only the correspondent who wrote a draft deletes it, and only while it is a draft."""
    return may_edit(user, submission) and submission.state == State.DRAFT and submission.created_by_id == user.pk


def _require_correspondent(user, submission):
    if correspondent_unit_id(user) != submission.unit_id or submission.unit_id is None:
        raise PermissionDenied("只能处理本单位的报送信息。")


def _require_handler(user):
    if not may_handle(user):
        raise PermissionDenied("您没有处理报送信息的权限。")


def _lock(submission):
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _record(submission, *, action, from_state, by, comment="", request=None, detail=""):
    record = SubmissionTransition.objects.create(
        submission=submission, action=action, from_state=from_state, to_state=submission.state, by=by,
        comment=comment,
    )
    audit.record(f"submission.{action}", user=by, request=request, obj=submission,
                 detail="；".join(part for part in [detail, comment] if part))
    if by.pk != submission.created_by_id:
        notifications.notify_on_commit(record)
    return record


@transaction.atomic
def save(submission, *, by, pictures=(), request=None):
    """Save the correspondent's text and new pictures (EntryImage rows already stored) together,
    within the bounds of submissions/limits.py."""
    if submission.pk is None:
        unit_id = correspondent_unit_id(by)
        if unit_id is None or unit_id != submission.unit_id:
            raise PermissionDenied("只能为本单位撰写报送信息。")
        submission.created_by = by
        limits.lock_unit(unit_id)
        limits.check_new_draft(by=by)
    else:
        limits.lock_unit(submission.unit_id)
        current = _lock(submission)
        if not may_edit(by, current):
            _require_correspondent(by, current)
            raise SubmissionError(f"这篇信息{current.get_state_display()}，不能再修改。")
        submission.state = current.state
    limits.check_pictures(submission, pictures)
    submission.save()
    start = (submission.pictures.aggregate(last=Max("order"))["last"] or 0) + 1
    for order, image in enumerate(pictures, start=start):
        submission.pictures.create(image=image, order=order)
    return submission


@transaction.atomic
def submit(submission, *, by, request=None, now=None):
    """Send a draft, or a returned submission after fixing it, to the office."""
    limits.lock_unit(submission.unit_id)
    current = _lock(submission)
    _require_correspondent(by, current)
    if current.state not in EDITABLE:
        raise SubmissionError(f"这篇信息{current.get_state_display()}，不能再次报送。")
    now = now or timezone.now()
    limits.check_hourly(by=by, now=now)
    action = Action.RESUBMIT if current.state == State.RETURNED else Action.SUBMIT
    from_state = current.state
    current.state = State.SUBMITTED
    current.submitted_at = current.submitted_at or now
    current.save(update_fields=["state", "submitted_at", "updated_at"])
    return _record(current, action=action, from_state=from_state, by=by, request=request)


@transaction.atomic
def delete_draft(submission, *, by, request=None):
    """The correspondent who wrote a draft deletes it, with its pictures; the office never saw it.

    Sent submissions are kept whatever their state: they are the unit's record with the office."""
    current = _lock(submission)
    if not may_delete(by, current):
        raise PermissionDenied("只能删除自己写的草稿。")
    images = list(EntryImage.objects.filter(pk__in=current.pictures.values("image")))
    audit.record("submission.delete", user=by, request=request, obj=current, detail=current.title)
    current.delete()
    for image in images:
        image.delete()
        transaction.on_commit(functools.partial(image.file.storage.delete, image.file.name), robust=True)


def _decide(submission, *, by, action, target, comment, request, required):
    _require_handler(by)
    comment = (comment or "").strip()
    if not comment:
        raise SubmissionError(required)
    with transaction.atomic():
        current = _lock(submission)
        if current.state != State.SUBMITTED:
            raise SubmissionError(f"只能处理“已报送”的信息；这篇信息{current.get_state_display()}。")
        current.state = target
        current.save(update_fields=["state", "updated_at"])
        return _record(current, action=action, from_state=State.SUBMITTED, by=by, comment=comment, request=request)


def return_submission(submission, *, by, comment, request=None):
    """退回修改: back to the correspondent with what to fix."""
    return _decide(submission, by=by, action=Action.RETURN, target=State.RETURNED, comment=comment,
                   request=request, required="退回修改必须填写意见，说明要修改什么。")


def reject(submission, *, by, reason, request=None):
    """未采用, with the reason the correspondent reads."""
    return _decide(submission, by=by, action=Action.REJECT, target=State.NOT_ADOPTED, comment=reason,
                   request=request, required="不采用必须填写理由。")


def entry_body(submissions):
    """The entry's HTML: each submission's body, then its pictures with their alternative text.

    Each body is within the limits on its own; together they may not be, so the merge is checked
    like any entry body and refused with a SubmissionError before anything is written.
    """
    parts = []
    for submission in submissions:
        parts.append(submission.body)
        for picture in submission.pictures.select_related("image"):
            image = picture.image
            parts.append(f'<p><img src="{html.escape(image.url)}" alt="{html.escape(image.alt_text)}" '
                         f'width="{image.width}" height="{image.height}"></p>')
    body = "".join(parts)
    try:
        return sanitize_html(body)
    except BodyRejected as error:
        if error.code == "body_too_long":
            raise SubmissionError(
                f"这{len(submissions)}篇信息合并后正文共{len(body)}字符，超过一个条目{MAX_BODY_CHARS}字符的上限；"
                "请少选几篇，分别采用。"
            ) from None
        raise SubmissionError(f"这{len(submissions)}篇信息合并后不能作为一个条目：{error.messages[0]}") from None


@transaction.atomic
def adopt(submissions, *, by, issue, section, request=None, now=None):
    """采用: one entry in a draft issue's section from one or several submissions, crediting every unit.

    Returns the new entry; each submission keeps a link to it.
    """
    _require_handler(by)
    submissions = list(Submission.objects.select_for_update().filter(pk__in=[s.pk for s in submissions])
                       .order_by("submitted_at", "pk"))
    if not submissions:
        raise SubmissionError("请至少选择一篇报送信息。")
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.DRAFT:
        raise SubmissionError(f"只能采用到草稿状态的期刊；《{issue}》{issue.get_status_display()}。")
    if not issue_workflow.may_edit(by, issue):
        raise PermissionDenied("您不能修改这一期。")
    not_ready = [s.title for s in submissions if s.state != State.SUBMITTED]
    if not_ready:
        raise SubmissionError(f"只能采用“已报送”的信息：{'、'.join(not_ready)}。")
    last = issue.entries.filter(section=section).aggregate(last=Max("order"))["last"]
    entry = Entry.objects.create(
        issue=issue, section=section, order=(last or 0) + 1, body=entry_body(submissions),
        date_text=submissions[0].date_text[:20],
    )
    entry.units.add(*{s.unit_id for s in submissions})
    link_entry(entry)
    now = now or timezone.now()
    comment = f"采用到《{issue}》{section.name}栏目"
    if len(submissions) > 1:
        comment += f"（与其他 {len(submissions) - 1} 篇合并为一条）"
    for submission in submissions:
        submission.state, submission.entry, submission.adopted_at = State.ADOPTED, entry, now
        submission.save(update_fields=["state", "entry", "adopted_at", "updated_at"])
        _record(submission, action=Action.ADOPT, from_state=State.SUBMITTED, by=by, comment=comment,
                request=request)
    return entry
