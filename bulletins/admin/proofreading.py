"""校对 page of an issue: every finding of `run_checks`, blocking first."""

from django.contrib import admin
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

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


def return_address(request):
    """The admin page named by ?next= (the 校对 page a fix link came from), if it is safe to go to."""
    target = request.GET.get("next", "")
    if target.startswith("/admin/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


class ReturnToProofreadingMixin:
    """An entry opened from a 校对 finding (?next=…) goes back there once saved, with Django's message."""

    def response_change(self, request, obj):
        response = super().response_change(request, obj)
        target = return_address(request)
        if target and not {"_continue", "_addanother", "_saveasnew"} & set(request.POST):
            return redirect(target)
        return response
