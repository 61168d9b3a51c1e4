"""The logged-in user's work queue on the admin index: what is waiting for them."""

from django import template
from django.db.models import OuterRef, Subquery

from bulletins import workflow
from bulletins.models import Issue, IssueTransition

register = template.Library()
Status = Issue.Status


def returned_drafts(user):
    """Drafts whose latest step was a return, with that comment; editors see all, others their own."""
    latest = IssueTransition.objects.filter(issue=OuterRef("pk")).order_by("-at", "-id")
    drafts = (
        Issue.objects.filter(status=Status.DRAFT)
        .annotate(latest_action=Subquery(latest.values("action")[:1]),
                  return_comment=Subquery(latest.values("comment")[:1]),
                  returned_at=Subquery(latest.values("at")[:1]))
        .filter(latest_action=IssueTransition.Action.RETURN)
        .order_by("-returned_at")
    )
    if not user.has_perm(workflow.SUBMIT):
        drafts = drafts.filter(created_by=user)
    return drafts


@register.simple_tag
def work_queue(user):
    """A list of (title, issues, empty text) boxes for `user`; boxes they cannot act on are left out."""
    if not user.has_perm("bulletins.view_issue"):
        return []
    boxes = []
    if user.has_perm(workflow.REVIEW):
        boxes.append(("待我审核", Issue.objects.filter(status=Status.IN_REVIEW).order_by("updated_at"),
                      "没有等待审核的期刊。"))
    if user.has_perm(workflow.SIGN):
        boxes.append(("待我签发", Issue.objects.filter(status=Status.AWAITING_SIGNOFF).order_by("updated_at"),
                      "没有等待签发的期刊。"))
    boxes.append(("被退回的稿件", returned_drafts(user), "没有被退回的稿件。"))
    boxes.append(("定时发布", Issue.objects.scheduled()
                  .order_by("published_at"), "没有定时发布的期刊。"))
    return [(title, list(issues.select_related("updated_by")[:20]), empty) for title, issues, empty in boxes]
