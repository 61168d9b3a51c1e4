"""工作台: what waits for each user on the admin index, by role, with true counts.

Every box is one condition on issues annotated with their latest workflow step. All counts come
from one aggregate query and each box's first rows from one query, so the number of queries
depends on the boxes shown, never on how many issues there are.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from . import workflow
from .models import Issue, IssueTransition

Status = Issue.Status
SHOWN = 10  # rows listed per box; the count is always the true total


@dataclass
class Box:
    key: str
    title: str
    empty: str
    condition: Q
    order: list
    more_query: str = ""  # changelist filter that lists the whole box (or a superset named in more_label)
    more_label: str = ""
    count: int = 0
    issues: list = field(default_factory=list)

    @property
    def more_url(self):
        return f"{reverse('admin:bulletins_issue_changelist')}?{self.more_query}" if self.more_query else ""

    @property
    def has_more(self):
        return self.count > len(self.issues)


def with_latest_step(issues):
    """Annotate each issue with the action, comment and time of its latest workflow step."""
    latest = IssueTransition.objects.filter(issue=OuterRef("pk")).order_by("-at", "-id")
    return issues.annotate(latest_action=Subquery(latest.values("action")[:1]),
                           latest_comment=Subquery(latest.values("comment")[:1]),
                           latest_at=Subquery(latest.values("at")[:1]))


def _returned(user):
    condition = Q(status=Status.DRAFT, latest_action=IssueTransition.Action.RETURN)
    # Editors pick up any returned draft; others see those they created.
    return condition if user.has_perm(workflow.SUBMIT) else condition & Q(created_by=user)


def boxes_for(user, now=None):
    """The boxes `user` sees, in the order of the workflow; none without access to issues."""
    if not user.has_perm("bulletins.view_issue"):
        return []
    now = now or timezone.now()
    boxes = []
    if user.has_perm(workflow.SUBMIT):
        boxes.append(Box("drafts", "我的草稿", "没有正在起草的期刊。",
                         Q(status=Status.DRAFT, created_by=user)
                         & (Q(latest_action__isnull=True) | ~Q(latest_action=IssueTransition.Action.RETURN)),
                         ["-updated_at"], "status__exact=draft", "查看全部草稿"))
    boxes.append(Box("returned", "被退回的稿件", "没有被退回的稿件。", _returned(user), ["-latest_at"]))
    reviewer, signer = user.has_perm(workflow.REVIEW), user.has_perm(workflow.SIGN)
    boxes.append(Box("in_review", "待我审核" if reviewer else "审核中", "没有等待审核的期刊。",
                     Q(status=Status.IN_REVIEW), ["updated_at"], "status__exact=in_review"))
    boxes.append(Box("awaiting_signoff", "待我签发" if signer else "待签发", "没有等待签发的期刊。",
                     Q(status=Status.AWAITING_SIGNOFF), ["updated_at"], "status__exact=awaiting_signoff"))
    boxes.append(Box("scheduled", "定时发布", "没有定时发布的期刊。",
                     Q(pk__in=Issue.objects.scheduled(now).values("pk")), ["published_at"], "visibility=scheduled"))
    boxes.append(Box("withdrawn", "已撤回", "没有已撤回的期刊。", Q(status=Status.WITHDRAWN), ["-updated_at"],
                     "status__exact=withdrawn"))
    return boxes


def workbench(user, now=None):
    """The boxes of `user` with their true counts and first SHOWN issues each."""
    boxes = boxes_for(user, now)
    if not boxes:
        return []
    issues = with_latest_step(Issue.objects.all())
    counts = issues.aggregate(**{box.key: Count("pk", filter=box.condition) for box in boxes})
    for box in boxes:
        box.count = counts[box.key]
        if box.count:
            box.issues = list(issues.filter(box.condition).select_related("updated_by").order_by(*box.order, "-pk")
                              [:SHOWN])
    return boxes


def returned_drafts(user):
    """The drafts `user` sees as returned, latest return first, each with `latest_comment`."""
    return with_latest_step(Issue.objects.all()).filter(_returned(user)).order_by("-latest_at")
