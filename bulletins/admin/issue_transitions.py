"""Workflow transitions from the issue admin: the buttons of the issue page and the list actions."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from accounts import audit
from bulletins import workflow
from bulletins.models import IssueTransition

Action = IssueTransition.Action


def _parse_publish_time(request):
    if request.POST.get("when") != "scheduled":
        return None
    value = request.POST.get("publish_at", "").strip()
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise workflow.WorkflowError("请填写定时发布的日期和时间，如 2026-11-25 08:00。") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def finding_messages(findings, *, shown_places=3):
    """One line per distinct finding message, naming where it occurs, instead of one line per entry."""
    places = {}
    for finding in findings:
        places.setdefault(finding.message, []).append(finding.where)
    lines = []
    for message, wheres in places.items():
        wheres = [where for where in wheres if where]
        if len(wheres) > shown_places:
            message = f"{message.rstrip('。')}（{'、'.join(wheres[:shown_places])}等{len(wheres)}处）。"
        elif wheres:
            message = f"{message.rstrip('。')}（{'、'.join(wheres)}）。"
        lines.append(message)
    return lines


def transition_arguments(request):
    """What a transition form (or a change form saved before a transition) posts besides the version."""
    return {
        "comment": request.POST.get("comment", ""),
        "at": _parse_publish_time(request),
        "override_reason": request.POST.get("override_reason", ""),
        "correction_note": request.POST.get("correction_note", ""),
    }


def run_transition(issue, action, *, request, expected_version, comment="", at=None, override_reason="",
                   correction_note=""):
    """The one dispatch from an admin action name to its workflow function."""
    common = {"by": request.user, "expected_version": expected_version, "request": request}
    if action == Action.SUBMIT:
        return workflow.submit(issue, **common)
    if action == Action.PASS:
        return workflow.pass_review(issue, comment=comment, **common)
    if action == Action.RETURN:
        return workflow.return_issue(issue, comment=comment, **common)
    if action == Action.PUBLISH:
        return workflow.publish(issue, at=at, override_reason=override_reason, correction_note=correction_note,
                                **common)
    if action == Action.WITHDRAW:
        return workflow.withdraw(issue, reason=comment, **common)
    if action == Action.REOPEN:
        return workflow.reopen(issue, reason=comment, **common)
    raise Http404("没有这个操作。")


class IssueTransitionsMixin:
    """The transition buttons (one POST view) and the list actions of `IssueAdmin`."""

    def _has_transition_permission(self, request, action):
        return workflow.may_perform_anywhere(request.user, action)

    def has_submit_permission(self, request):
        return self._has_transition_permission(request, Action.SUBMIT)

    def has_pass_permission(self, request):
        return self._has_transition_permission(request, Action.PASS)

    def has_return_permission(self, request):
        return self._has_transition_permission(request, Action.RETURN)

    def has_publish_permission(self, request):
        return self._has_transition_permission(request, Action.PUBLISH)

    def has_withdraw_permission(self, request):
        return self._has_transition_permission(request, Action.WITHDRAW)

    def transition_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in workflow.TRANSITIONS:
            raise Http404("没有这个操作。")
        if not workflow.may_perform_anywhere(request.user, action):
            audit.record(f"workflow.{action}", request=request, outcome="failure", detail=f"没有权限：期刊 {object_id}")
            raise PermissionDenied
        issue = self._viewable_issue(request, object_id)
        version = request.POST.get("version", "")
        try:
            outcome = run_transition(issue, action, request=request, **transition_arguments(request),
                                     expected_version=int(version) if version.isdigit() else None)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self._report(request, issue, outcome)
        return redirect(self._change_url(issue))

    def _report(self, request, issue, outcome):
        record = outcome.transition
        text = f"“{issue}”已{record.get_action_display()}，当前状态：{self.status_label(issue)}。"
        if outcome.recipients:
            text += f"已通知：{'、'.join(user.display_name for user in outcome.recipients)}。"
        self.message_user(request, text, messages.SUCCESS)
        shown = [f for f in outcome.findings if not f.is_blocking or record.action == Action.SUBMIT]
        for text in finding_messages(shown):
            self.message_user(request, f"校对提示：{text}", messages.WARNING)

    # List actions ------------------------------------------------------------------

    def _act_on_each(self, request, queryset, action, **kwargs):
        done = 0
        for issue in queryset:
            try:
                # Each transition is its own transaction; a refusal is audited and does not stop the rest.
                outcome = run_transition(issue, action, request=request, expected_version=issue.version, **kwargs)
            except workflow.WorkflowError as error:
                self.message_user(request, str(error), messages.ERROR)
            except PermissionDenied:
                self.message_user(request, f"“{issue}”：您没有在当前状态下执行此操作的权限。", messages.ERROR)
            else:
                done += 1
                for text in finding_messages(outcome.findings):
                    self.message_user(request, f"“{issue}”校对提示：{text}", messages.WARNING)
        if done:
            label = workflow.TRANSITIONS[action].label
            self.message_user(request, f"已对 {done} 期执行“{label}”。", messages.SUCCESS)

    def _act_with_comment(self, request, queryset, action, action_name):
        """Return and withdraw ask for the comment (reason) on a confirmation page first."""
        comment = request.POST.get("comment", "").strip()
        if request.POST.get("post") == "yes" and comment:
            return self._act_on_each(request, queryset, action, comment=comment)
        if request.POST.get("post") == "yes":
            self.message_user(request, "请填写意见（原因）后再确认。", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": workflow.TRANSITIONS[action].label,
            "issues": queryset,
            "action_name": action_name,
            "comment_label": "撤稿原因" if action == Action.WITHDRAW else "退回意见",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/bulletins/issue/action_comment.html", context)

    @admin.action(description="提交审核", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._act_on_each(request, queryset, Action.SUBMIT)

    @admin.action(description="通过审核", permissions=["pass"])
    def pass_selected(self, request, queryset):
        self._act_on_each(request, queryset, Action.PASS)

    @admin.action(description="退回修改（需填写意见）", permissions=["return"])
    def return_selected(self, request, queryset):
        return self._act_with_comment(request, queryset, Action.RETURN, "return_selected")

    @admin.action(description="立即签发发布", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._act_on_each(request, queryset, Action.PUBLISH)

    @admin.action(description="撤稿（需填写原因）", permissions=["withdraw"])
    def withdraw_selected(self, request, queryset):
        return self._act_with_comment(request, queryset, Action.WITHDRAW, "withdraw_selected")
