"""校对 page of an issue: every finding of `run_checks`, blocking first."""

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from bulletins.checks import run_checks
from bulletins.models import Issue

from .permissions import require_view_issue


def proofread_view(request, pk):
    require_view_issue(request)
    issue = get_object_or_404(Issue, pk=pk)
    findings = run_checks(issue)
    context = {
        **admin.site.each_context(request),
        "title": f"校对：{issue}",
        "issue": issue,
        "opts": Issue._meta,
        "blocking": [finding for finding in findings if finding.is_blocking],
        "warnings": [finding for finding in findings if not finding.is_blocking],
        "can_change_entry": request.user.has_perm("bulletins.change_entry"),
    }
    response = TemplateResponse(request, "admin/bulletins/issue/proofread.html", context)
    add_never_cache_headers(response)
    return response
