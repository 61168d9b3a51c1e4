"""History of an issue in the admin: list of versions, compare two, restore one."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html

from bulletins import workflow
from bulletins.models import Issue
from bulletins.revisions import diff, versions_of


class IssueHistoryMixin:
    """History, compare and restore views of `IssueAdmin`."""

    def history_view(self, request, object_id, extra_context=None):
        issue = self._viewable_issue(request, object_id)
        versions = list(versions_of(issue))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"“{issue}”的历史版本",
            "issue": issue,
            "versions": versions,
            "transitions": issue.transitions.select_related("by"),
            "may_restore": self._may_restore(request, issue),
        }
        return TemplateResponse(request, "admin/bulletins/issue/history.html", context)

    def _restore_confirmation(self, request, issue, version):
        current = versions_of(issue).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"确认恢复“{issue}”的旧版本",
            "issue": issue,
            "old": current,
            "new": version,
            "diff": diff(current, version),
            "may_restore": self._may_restore(request, issue),
        }
        return TemplateResponse(request, "admin/bulletins/issue/restore_confirm.html", context)

    def _may_restore(self, request, issue):
        return workflow.may_edit(request.user, issue) and issue.status not in (
            Issue.Status.PUBLISHED, Issue.Status.WITHDRAWN)

    def _version(self, issue, version_id):
        return get_object_or_404(versions_of(issue), pk=version_id)

    def compare_view(self, request, object_id):
        issue = self._viewable_issue(request, object_id)
        versions = list(versions_of(issue))
        try:
            new = self._version(issue, int(request.GET.get("to", versions[0].pk if versions else 0)))
            old_id = request.GET.get("from")
            if old_id is None:
                older = [v for v in versions if v.revision.date_created < new.revision.date_created or
                         (v.revision.date_created == new.revision.date_created and v.pk < new.pk)]
                old_id = older[0].pk if older else new.pk
            old = self._version(issue, int(old_id))
        except ValueError:
            raise Http404("版本号不正确。") from None
        if (old.revision.date_created, old.pk) > (new.revision.date_created, new.pk):
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"“{issue}”版本比较",
            "issue": issue,
            "old": old,
            "new": new,
            "diff": diff(old, new),
        }
        return TemplateResponse(request, "admin/bulletins/issue/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        """GET: a confirmation page listing what the restore changes; POST: the restore."""
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        issue = self._viewable_issue(request, object_id)
        version = self._version(issue, version_id)
        if request.method == "GET":
            return self._restore_confirmation(request, issue, version)
        version_field = request.POST.get("version", "")
        try:
            workflow.restore(version, by=request.user, request=request,
                             expected_version=int(version_field) if version_field.isdigit() else None)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:bulletins_issue_history", issue.pk)
        created = timezone.localtime(version.revision.date_created)
        self.message_user(
            request, format_html("已将 {} 的版本恢复为当前草稿；较新的版本仍保留在历史中。", f"{created:%Y-%m-%d %H:%M:%S}"),
            messages.SUCCESS,
        )
        return redirect(self._change_url(issue))
