"""回收站 in the admin: the deleted drafts the user may recover, and recovering one."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from bulletins import recycle_bin
from bulletins.models import DeletedIssue

from .permissions import require_view_issue


def recycle_bin_view(request):
    require_view_issue(request)
    recycle_bin.purge_expired()
    context = {
        **admin.site.each_context(request),
        "title": "回收站",
        "deleted_issues": recycle_bin.visible_to(request.user),
        "keep_days": recycle_bin.KEEP_DAYS,
    }
    return TemplateResponse(request, "admin/recycle_bin.html", context)


@require_POST
def recover_view(request, pk):
    require_view_issue(request)
    deleted = get_object_or_404(DeletedIssue, pk=pk)
    try:
        issue = recycle_bin.recover(deleted, by=request.user, request=request)
    except recycle_bin.RecycleBinError as error:
        messages.error(request, str(error))
        return redirect("bulletins_admin:recycle_bin")
    messages.success(request, f"已从回收站恢复“{issue}”（草稿）。")
    return redirect("admin:bulletins_issue_change", issue.pk)
