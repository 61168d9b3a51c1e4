"""回收站: a deleted draft is kept for 30 days, and its editor or a signer may recover it.

`keep()` stores the issue with its entries, their person and unit links and its workflow
record (Django's serialization) in the deleting transaction; `recover()` writes them back under
the same id, so the history and audit trail still belong to it. Past 30 days a kept draft can no
longer be recovered and is purged the next time the bin is used (no cron job needed).
"""

import json

import reversion
from django.core import serializers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import audit

from . import workflow
from .models import DeletedIssue, EntryPerson, Issue
from .models.recycle_bin import KEEP_FOR
from .revisions import save_revision

KEEP_DAYS = KEEP_FOR.days


class RecycleBinError(Exception):
    """A recovery refused for a reason the user can understand; the message is in Chinese."""


def _objects(issue):
    entries = list(issue.entries.all())
    return [issue, *entries, *EntryPerson.objects.filter(entry__in=entries), *issue.transitions.all()]


def keep(issue, *, by):
    """Put `issue`, about to be deleted, in the 回收站; call it inside the deleting transaction."""
    purge_expired()
    objects = _objects(issue)
    return DeletedIssue.objects.create(
        issue_id=issue.pk, year=issue.year, number=issue.number, title=str(issue),
        entry_count=sum(1 for obj in objects if obj._meta.model_name == "entry"),
        snapshot=json.loads(serializers.serialize("json", objects)),
        created_by_id=issue.created_by_id, deleted_by=by,
    )


def may_recover(user, deleted):
    """A signer recovers any deleted draft; an editor those they created or deleted."""
    if user.has_perm(workflow.SIGN):
        return True
    return user.has_perm(workflow.SUBMIT) and user.pk in {deleted.created_by_id, deleted.deleted_by_id}


def visible_to(user, now=None):
    """The kept drafts `user` may recover, newest deletion first."""
    kept = DeletedIssue.objects.kept(now).select_related("created_by", "deleted_by")
    if user.has_perm(workflow.SIGN):
        return kept
    if user.has_perm(workflow.SUBMIT):
        return kept.filter(created_by=user) | kept.filter(deleted_by=user)
    return kept.none()


def recover(deleted, *, by, request=None):
    """Bring a kept draft back as it was when deleted (a 草稿), audited; returns the issue."""
    if not may_recover(by, deleted):
        audit.record("issue.recover", user=by, request=request, obj=deleted, outcome="failure", detail="没有权限")
        raise PermissionDenied("只有这一期的编辑或签发人可以从回收站恢复。")
    with transaction.atomic():
        current = DeletedIssue.objects.select_for_update().kept().filter(pk=deleted.pk).first()
        if current is None:
            raise RecycleBinError(f"“{deleted}”已不在回收站中（已被恢复，或已超过 {KEEP_DAYS} 天）。")
        if Issue.objects.filter(year=current.year, number=current.number).exists():
            raise RecycleBinError(f"{current.year}年第{current.number}期已经存在，不能恢复。"
                                  "请先修改现有那一期的期号，或删除它。")
        for obj in serializers.deserialize("json", json.dumps(current.snapshot)):
            obj.save()
        issue = Issue.objects.get(pk=current.issue_id)
        issue.version += 1
        issue.updated_by = by
        issue.save()
        when = timezone.localtime(current.deleted_at).strftime("%Y-%m-%d %H:%M")
        detail = f"{when}由{current.deleted_by.display_name}删除，共 {current.entry_count} 条条目"
        audit.record("issue.recover", user=by, request=request, obj=issue, detail=detail)
        with reversion.create_revision(manage_manually=True):
            save_revision(issue, user=by, comment=f"从回收站恢复（{when}删除）")
        current.delete()
    return issue


def purge_expired(now=None):
    """Delete for good what has been in the bin for more than 30 days; each purge is audited."""
    expired = list(DeletedIssue.objects.expired(now))
    for deleted in expired:
        audit.record("issue.purge", obj=deleted,
                     detail=f"{deleted}：删除已满 {KEEP_DAYS} 天（{timezone.localtime(deleted.deleted_at):%Y-%m-%d}删除）")
    DeletedIssue.objects.filter(pk__in=[deleted.pk for deleted in expired]).delete()
    return len(expired)
