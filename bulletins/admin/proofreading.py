"""校对 page of an issue: every finding of `run_checks`, blocking first, and one-click fixes.

A fix is applied as the editor would apply it by hand: the entry's own admin change form is
submitted with the fixed text, so the same permission and state checks, the same conflict check
(the issue's version as the 校对 page read it), linking, revision and history apply.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from bulletins import workflow
from bulletins.checks import run_checks
from bulletins.models import Entry, Issue
from bulletins.proofreading.context import CheckedEntry
from bulletins.proofreading.fixes import FixFailed, apply_fix
from bulletins.proofreading.punctuation import entry_findings

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
        "can_fix": request.user.has_perm("bulletins.change_entry") and workflow.may_edit(request.user, issue),
    }
    response = TemplateResponse(request, "admin/bulletins/issue/proofread.html", context)
    add_never_cache_headers(response)
    return response


def _put(data, name, value):
    if value is None or value is False:
        return
    if value is True:
        data[name] = "on"
    elif isinstance(value, (list, tuple)):
        data.setlist(name, [str(item) for item in value])
    else:
        data[name] = str(value)


def _change_form_data(model_admin, request, obj, **changes):
    """The POST data of `obj`'s admin change form as it stands, inlines included, with `changes`."""
    data = QueryDict(mutable=True)
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    for name in form.fields:
        _put(data, form[name].html_name, changes.get(name, form[name].value()))
    for formset_class, _ in model_admin.get_formsets_with_inlines(request, obj):
        formset = formset_class(instance=obj, prefix=formset_class.get_default_prefix())
        for part in (formset.management_form, *formset.forms):
            for name in part.fields:
                _put(data, part[name].html_name, part[name].value())
    return data


@require_POST
def fix_view(request, pk):
    """Apply one finding's fix to its entry through the entry's change form; back to 校对."""
    require_view_issue(request)
    issue = get_object_or_404(Issue, pk=pk)
    if not (request.user.has_perm("bulletins.change_entry") and workflow.may_edit(request.user, issue)):
        raise PermissionDenied
    entry = get_object_or_404(Entry.objects.select_related("issue"), pk=request.POST.get("entry"), issue=issue)
    back = redirect("bulletins_admin:issue_proofread", issue.pk)
    key = request.POST.get("fix", "")
    finding = next((f for f in entry_findings(CheckedEntry(entry, "", entry.plain_text)) if f.fix_key == key), None)
    if finding is None or not finding.fix:
        messages.warning(request, "这一处已不存在（可能已改正），没有修改。")
        return back
    try:
        body = apply_fix(entry.body, finding.fix)
    except FixFailed:
        messages.error(request, "正文已变化，无法自动修改，请打开条目手动修改。")
        return back
    model_admin = admin.site._registry[Entry]
    request.POST = _change_form_data(
        model_admin, request, entry, body=body, expected_issue_version=request.POST.get("expected_issue_version"),
    )
    response = model_admin.change_view(request, str(entry.pk))
    if response.status_code == 302:
        messages.success(request, f"已按建议修改{finding.where or '条目'}：{finding.suggestion}")
    else:
        errors = [str(error) for errors in response.context_data.get("errors", []) for error in errors]
        messages.error(request, "没有修改：" + ("；".join(errors) or "条目无法保存。"))
    return back


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
