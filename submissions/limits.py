"""The portal's bounds on what a correspondent may send and keep, checked where the rows are written.

Every check runs after `lock_unit`, in the transaction that then inserts: the unit's row stays
locked until commit, so the requests of one unit (every correspondent reports for exactly one) are
counted one after another and "count, then insert" cannot let a burst through. On PostgreSQL the
lock is SELECT ... FOR UPDATE; SQLite has one writer at a time, and a second transaction that read
the count before the first one wrote fails ("database is locked") rather than insert past the bound.

The numbers, generous for an office (a unit sends a few pieces a week, a handful of photos each):
- SUBMISSIONS_PER_HOUR (10): submissions and resubmissions one account sends in an hour;
- SUBMISSION_MAX_DRAFTS (30): drafts one correspondent keeps (a draft that is sent no longer counts);
- SUBMISSION_MAX_PICTURES (6, submissions/forms.py): pictures of one submission;
- SUBMISSION_MAX_UNIT_PICTURE_BYTES (1 GiB): the pictures of a unit's submissions that nobody has
  decided on yet (草稿、已报送、退回修改) — about 300 phone photos; adopted or rejected ones no
  longer count, and deleting a draft frees its pictures.
"""

import datetime

from django.conf import settings
from django.db.models import Sum

from bulletins.models import Unit

from .errors import LimitReached
from .forms import max_pictures
from .models import Submission, SubmissionPicture, SubmissionTransition


def per_hour_limit():
    return getattr(settings, "SUBMISSIONS_PER_HOUR", 10)


def max_drafts():
    return getattr(settings, "SUBMISSION_MAX_DRAFTS", 30)


def max_unit_picture_bytes():
    return getattr(settings, "SUBMISSION_MAX_UNIT_PICTURE_BYTES", 1024 ** 3)


UNDECIDED = (Submission.State.DRAFT, Submission.State.SUBMITTED, Submission.State.RETURNED)


def lock_unit(unit_id):
    """Take the unit's row lock for the rest of the transaction (see the module's docstring)."""
    list(Unit.objects.select_for_update().filter(pk=unit_id).values_list("pk", flat=True))


def check_hourly(*, by, now):
    """Call after lock_unit, before recording the submission."""
    sent = SubmissionTransition.objects.filter(
        by=by, action__in=[SubmissionTransition.Action.SUBMIT, SubmissionTransition.Action.RESUBMIT],
        at__gte=now - datetime.timedelta(hours=1),
    ).count()
    if sent >= per_hour_limit():
        raise LimitReached(f"每个账号每小时最多报送 {per_hour_limit()} 篇，请稍后再报送。")


def check_new_draft(*, by):
    """Call after lock_unit, before inserting a new submission (it starts as a draft)."""
    if Submission.objects.filter(created_by=by, state=Submission.State.DRAFT).count() >= max_drafts():
        raise LimitReached(f"您已有 {max_drafts()} 篇草稿，这是上限。请先报送或删除不用的草稿，再写新的信息。")


def check_pictures(submission, images):
    """Call after lock_unit, before attaching `images` (EntryImage rows) to `submission`."""
    if not images:
        return
    existing = submission.pictures.count() if submission.pk else 0
    if existing + len(images) > max_pictures():
        raise LimitReached(f"每篇信息最多 {max_pictures()} 张图片（已有 {existing} 张），请减少图片。")
    kept = SubmissionPicture.objects.filter(
        submission__unit_id=submission.unit_id, submission__state__in=UNDECIDED
    ).aggregate(total=Sum("image__size"))["total"] or 0
    adding = sum(image.size for image in images)
    if kept + adding > max_unit_picture_bytes():
        raise LimitReached(
            f"本单位待处理信息中的图片已有 {kept / 1024 ** 2:.0f} MB，上限为 {max_unit_picture_bytes() // 1024 ** 2} MB。"
            "请删除不用的草稿，或等编辑处理已报送的信息后再上传图片。"
        )
