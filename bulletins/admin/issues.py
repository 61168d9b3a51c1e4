import datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts import audit
from bulletins import checks, workflow
from bulletins.forms import EntryForm
from bulletins.models import Entry, EntryPerson, Issue, IssueTransition
from bulletins.revisions import diff, save_revision, versions_of

from .importing import link_saved_entries

Action = IssueTransition.Action


class IssueForm(forms.ModelForm):
    """The issue form carries the version it was read at; a save over a newer version is refused."""

    expected_version = forms.IntegerField(label="期刊版本", widget=forms.HiddenInput, required=False)

    class Meta:
        model = Issue
        fields = ["year", "number", "title", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin runs the whole save in one transaction, so this lock holds until it commits.
            current = (
                Issue.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
            )
            if cleaned.get("expected_version") != current.version:
                self.conflict = current
                raise forms.ValidationError(
                    f"保存失败：这一期已被{workflow.describe_change(current)}修改，您的修改没有保存，以免覆盖对方的内容。"
                    "请重新打开本页，在最新内容上再修改。",
                    code="conflict",
                )
        return cleaned


class EntryAdminForm(EntryForm):
    """An entry edited on its own page is part of its issue: the issue's version guards it too."""

    expected_issue_version = forms.IntegerField(label="期刊版本", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_issue_version"].initial = self.instance.issue.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            issues = Issue.objects.select_for_update(of=("self",)).select_related("updated_by")
            current = issues.get(pk=self.instance.issue_id)
            if cleaned.get("expected_issue_version") != current.version:
                self.conflict = current
                raise forms.ValidationError(
                    f"保存失败：“{current}”已被{workflow.describe_change(current)}修改，您的修改没有保存。"
                    "请重新打开本页，在最新内容上再修改。",
                    code="conflict",
                )
        return cleaned


class EditableWithIssueMixin:
    """Entries of an issue are edited only by those who may edit the issue in its state."""

    def _may_edit(self, request, issue):
        return issue is None or workflow.may_edit(request.user, issue)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class EntryInline(EditableWithIssueMixin, admin.StackedInline):
    model = Entry

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    form = EntryForm
    extra = 0
    ordering = ["section__order", "order", "id"]
    autocomplete_fields = ["units"]
    fields = [("section", "order"), ("date_text", "event_date"), "body", "units"]
    show_change_link = True


class EntryPersonInline(admin.TabularInline):
    model = EntryPerson
    extra = 0
    autocomplete_fields = ["person"]


class VisibilityFilter(admin.SimpleListFilter):
    title = "公开情况"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("scheduled", "定时发布中"), ("public", "已公开")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.filter(status=Issue.Status.PUBLISHED, published_at__gt=timezone.now())
        if self.value() == "public":
            return queryset.filter(pk__in=Issue.objects.published())
        return queryset


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


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueForm
    list_display = ["title", "year", "number", "status_label", "is_published", "published_at", "updated_by",
                    "updated_at"]
    list_display_links = ["title"]
    list_filter = ["year", "status", VisibilityFilter, "entries__section"]
    search_fields = ["title", "source"]
    date_hierarchy = "published_at"
    readonly_fields = ["status_label", "published_at", "withdrawn_reason", "created_by", "created_at", "updated_by",
                       "updated_at"]
    fieldsets = [
        (None, {"fields": [("year", "number"), "title", "source", "expected_version"]}),
        ("发布", {"fields": ["status_label", "published_at", "withdrawn_reason"]}),
        ("记录", {"classes": ["collapse"], "fields": [("created_by", "created_at"), ("updated_by", "updated_at")]}),
    ]
    inlines = [EntryInline]
    actions = ["submit_selected", "pass_selected", "return_selected", "publish_selected", "withdraw_selected"]

    @admin.display(boolean=True, description="公开可见")
    def is_published(self, obj):
        return obj.is_published

    @admin.display(description="状态", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return f"定时发布（{timezone.localtime(obj.published_at):%Y-%m-%d %H:%M}）"
        return obj.get_status_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by").distinct()

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets[:1]
        if not self.has_change_permission(request, obj):
            # Read-only: there is no form to carry the version.
            head = (None, {"fields": [("year", "number"), "title", "source"]})
            return [head, *fieldsets[1:]]
        return fieldsets

    # Who may edit what -------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or workflow.may_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Only drafts may be deleted, and only by those who may edit them; the rest is withdrawn.
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj) and (obj is None or workflow.may_edit(request.user, obj))

    def delete_model(self, request, obj):
        audit.record("issue.delete", user=request.user, request=request, obj=obj)
        super().delete_model(request, obj)

    def get_actions(self, request):
        # Bulk deletion would skip the per-issue rule above (drafts only); delete one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

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

    # Saving: stamp users, bump the version, store a revision -----------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            with reversion.create_revision(manage_manually=True):
                return super().changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        else:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        issue = form.instance
        link_saved_entries(request, issue.entries.all())
        if not change:
            comment = "新建"
        elif issue.status == Issue.Status.PUBLISHED:
            comment = "更正"
            audit.record("workflow.correct", user=request.user, request=request, obj=issue)
        else:
            comment = "修改"
        save_revision(issue, user=request.user, comment=comment)

    def response_change(self, request, obj):
        if obj.status == Issue.Status.PUBLISHED:
            self.message_user(request, "已保存更正，并记录为一个版本（更正）。", messages.INFO)
        return super().response_change(request, obj)

    # The issue page: transitions, preview, tools -----------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if issue is not None:
            transitions = workflow.available(request.user, issue)
            blocking = []
            if any(t.action == Action.PUBLISH for t in transitions):
                blocking = checks.blocking(checks.run_checks(issue))
            extra_context.update(
                transitions=transitions,
                blocking_findings=blocking,
                default_publish_at=timezone.localtime() + datetime.timedelta(hours=1),
                latest_transition=issue.transitions.select_related("by").first(),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/transition/<str:action>/", self.admin_site.admin_view(self.transition_view),
                 name="%s_%s_transition" % info),
            path("<path:object_id>/history/compare/", self.admin_site.admin_view(self.compare_view),
                 name="%s_%s_compare" % info),
            path("<path:object_id>/history/<int:version_id>/restore/", self.admin_site.admin_view(self.restore_view),
                 name="%s_%s_restore" % info),
            *super().get_urls(),
        ]

    def _change_url(self, issue):
        return reverse("admin:bulletins_issue_change", args=[issue.pk])

    def _viewable_issue(self, request, object_id):
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404("没有找到这一期。")
        if not self.has_view_or_change_permission(request, issue):
            raise PermissionDenied
        return issue

    def transition_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in workflow.TRANSITIONS:
            raise Http404("没有这个操作。")
        if not workflow.may_perform_anywhere(request.user, action):
            audit.record(f"workflow.{action}", request=request, outcome="failure", detail=f"没有权限：期刊 {object_id}")
            raise PermissionDenied
        issue = self._viewable_issue(request, object_id)
        try:
            outcome = self._perform(request, issue, action)
        except workflow.WorkflowError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self._report(request, issue, outcome)
        return redirect(self._change_url(issue))

    def _perform(self, request, issue, action):
        version = request.POST.get("version", "")
        expected = int(version) if version.isdigit() else None
        common = {"by": request.user, "expected_version": expected, "request": request}
        comment = request.POST.get("comment", "")
        if action == Action.SUBMIT:
            return workflow.submit(issue, **common)
        if action == Action.PASS:
            return workflow.pass_review(issue, comment=comment, **common)
        if action == Action.RETURN:
            return workflow.return_issue(issue, comment=comment, **common)
        if action == Action.PUBLISH:
            return workflow.publish(issue, at=_parse_publish_time(request),
                                    override_reason=request.POST.get("override_reason", ""), **common)
        return workflow.withdraw(issue, reason=comment, **common)

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
                with transaction.atomic():
                    outcome = self._call(issue, action, request=request, **kwargs)
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

    def _call(self, issue, action, *, request, comment=""):
        common = {"by": request.user, "expected_version": issue.version, "request": request}
        if action == Action.SUBMIT:
            return workflow.submit(issue, **common)
        if action == Action.PASS:
            return workflow.pass_review(issue, **common)
        if action == Action.RETURN:
            return workflow.return_issue(issue, comment=comment, **common)
        if action == Action.PUBLISH:
            return workflow.publish(issue, **common)
        return workflow.withdraw(issue, reason=comment, **common)

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

    # History, diff, restore --------------------------------------------------------

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
            "may_restore": workflow.may_edit(request.user, issue)
            and issue.status not in (Issue.Status.PUBLISHED, Issue.Status.WITHDRAWN),
        }
        return TemplateResponse(request, "admin/bulletins/issue/history.html", context)

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
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self._viewable_issue(request, object_id)
        version = self._version(issue, version_id)
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


@admin.register(Entry)
class EntryAdmin(EditableWithIssueMixin, admin.ModelAdmin):
    form = EntryAdminForm
    list_display = ["__str__", "issue", "section", "order", "date_text"]
    list_filter = ["section", "issue__year"]
    search_fields = ["plain_text"]
    autocomplete_fields = ["units"]
    list_select_related = ["issue", "section"]
    fields = ["issue", ("section", "order"), ("date_text", "event_date"), "body", "units", "expected_issue_version"]
    inlines = [EntryPersonInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [name for name in fields if name != "expected_issue_version"]
        return fields

    def _may_edit(self, request, entry):
        return entry is None or workflow.may_edit(request.user, entry.issue)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "issue" in form.base_fields:
            # A new or moved entry may only go into an issue the user may edit.
            form.base_fields["issue"].queryset = Issue.objects.filter(
                status__in=workflow.editable_statuses(request.user)
            )
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            with reversion.create_revision(manage_manually=True):
                return super().changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_saved_entries(request, [form.instance])
        # An entry saved on its own page is still a change of its issue(s): new version and revision.
        issue_ids = {form.instance.issue_id}
        if change and "issue" in form.changed_data:
            issue_ids.add(form.initial.get("issue"))
        for issue in Issue.objects.select_for_update().filter(pk__in=issue_ids):
            self._touch(request, issue)
            comment = "更正（条目）" if issue.status == Issue.Status.PUBLISHED else "修改条目"
            save_revision(issue, user=request.user, comment=comment)

    def delete_model(self, request, obj):
        issue = obj.issue
        with reversion.create_revision(manage_manually=True):
            super().delete_model(request, obj)
            self._touch(request, issue)
            save_revision(issue, user=request.user, comment="删除条目")

    def _touch(self, request, issue):
        issue.version += 1
        issue.updated_by = request.user
        issue.save(update_fields=["version", "updated_by", "updated_at"])
