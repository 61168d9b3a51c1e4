"""Two workflow paths that change an issue's content: correcting a published issue, and restoring an
old revision as the current draft. Both are re-exported by bulletins/workflow.py, the one place
callers import them from; a correction signs a new snapshot (bulletins/snapshots.py).
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.errors import RevertError

from accounts import audit

from . import snapshots
from .models import Issue, IssueTransition
from .revisions import save_revision
from .workflow import SIGN, Action, Outcome, Status, WorkflowError, _lock, _refuse, may_edit


def correct(issue, *, by, note="", what="期刊", request=None):
    """Record a correction of a published issue, already saved by the caller in its transaction.

    The one correction path of the issue page and the entry page: checks the signer's right,
    writes the transition, the audit event and a revision; a `note` becomes the public 更正说明.
    """
    if issue.status != Status.PUBLISHED:
        raise WorkflowError(f"“{issue}”当前状态为“{issue.get_status_display()}”，不是更正。")
    if not by.has_perm(SIGN):
        _refuse(PermissionDenied("您没有更正已发布期刊的权限。"), action=Action.CORRECT, by=by, request=request,
                issue=issue)
    note = (note or "").strip()
    with transaction.atomic():
        if note:
            issue.correction_note = note
            issue.corrected_at = timezone.now()
            issue.save(update_fields=["correction_note", "corrected_at", "updated_at"])
        record = IssueTransition.objects.create(
            issue=issue, action=Action.CORRECT, from_status=issue.status, to_status=issue.status, by=by,
            comment=note or f"更正{what}",
        )
        audit.record("workflow.correct", user=by, request=request, obj=issue,
                     detail="；".join(part for part in [f"更正{what}", f"更正说明：{note}" if note else ""] if part))
        with reversion.create_revision(manage_manually=True):
            label = "更正" if what == "期刊" else f"更正（{what}）"
            save_revision(issue, user=by, comment=f"{label}：{note}" if note else label)
            snapshots.sign(issue, by=by, request=request)
    return Outcome(transition=record)


def restore(version, *, by, expected_version=None, request=None):
    """Make an old revision the current draft; newer revisions stay, the restore is a new one.

    Only someone who may edit the issue now may restore it, and never directly into
    public view: the result is always a 草稿, so a published or withdrawn issue is refused.
    """
    issue = Issue.objects.get(pk=version.object_id)
    if not may_edit(by, issue) or issue.status == Status.WITHDRAWN:
        _refuse(PermissionDenied("您没有修改这一期的权限，不能恢复旧版本；已撤稿的期刊请先“撤稿后重新编辑”。"),
                action=Action.RESTORE, by=by, request=request, issue=issue)
    if issue.status == Status.PUBLISHED:
        raise WorkflowError("已发布的期刊不能恢复为草稿；如需更正请直接修改，或先撤稿。")
    if expected_version is None:
        expected_version = issue.version
    with transaction.atomic():
        current = _lock(issue, expected_version=expected_version)
        from_status, version_number = current.status, current.version
        try:
            version.revision.revert(delete=True)
        except RevertError as error:
            # django-reversion's own message is English and names its internals.
            raise WorkflowError("无法恢复这个版本：版本中的数据与当前的数据结构不一致，或它引用的内容已被删除。") from error
        restored = Issue.objects.get(pk=issue.pk)
        # The content comes from the old revision; what the workflow owns stays as it is now.
        for name in ("dated_at", "withdrawn_reason", "correction_note", "corrected_at", "created_by", "snapshot"):
            setattr(restored, name, getattr(current, name))
        current = restored
        current.status = Status.DRAFT
        current.published_at = None
        current.version = version_number + 1
        current.updated_by = by
        current.save()
        created = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
        comment = f"恢复为 {created} 的版本"
        record = IssueTransition.objects.create(
            issue=current, action=Action.RESTORE, from_status=from_status, to_status=Status.DRAFT, by=by,
            comment=comment,
        )
        audit.record("workflow.restore", user=by, request=request, obj=current, detail=comment)
        with reversion.create_revision(manage_manually=True):
            save_revision(current, user=by, comment=f"{comment}（草稿）")
    return Outcome(transition=record)
