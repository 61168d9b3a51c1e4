"""The issue admin (期刊): list, edit page, saving with a revision; transitions and history are mixins."""

import datetime

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone

from accounts import audit
from bulletins import checks, recycle_bin, workflow
from bulletins.models import EntryBand, Issue, IssueTransition
from bulletins.revisions import save_revision
from wenming.admin_mixins import HiddenFromDeletePageMixin, LeanChangeFormMediaMixin

from .entries import EntryInline
from .importing import link_saved_entries
from .issue_forms import IssueForm
from .issue_history import IssueHistoryMixin
from .issue_transitions import IssueTransitionsMixin, run_transition, transition_arguments

Action = IssueTransition.Action


class VisibilityFilter(admin.SimpleListFilter):
    title = "公开情况"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("scheduled", "定时发布中"), ("public", "已公开")]

    def queryset(self, request, queryset):
        if self.value() == "scheduled":
            return queryset.filter(pk__in=Issue.objects.scheduled())
        if self.value() == "public":
            return queryset.filter(pk__in=Issue.objects.published())
        return queryset


@admin.register(Issue)
class IssueAdmin(LeanChangeFormMediaMixin, HiddenFromDeletePageMixin, IssueTransitionsMixin, IssueHistoryMixin,
                 admin.ModelAdmin):
    hidden_on_delete_page = (EntryBand,)

    form = IssueForm
    list_display = ["title", "year", "number", "status_label", "is_published", "published_at", "updated_by",
                    "updated_at"]
    list_display_links = ["title"]
    list_filter = ["year", "status", VisibilityFilter, "entries__section"]
    search_fields = ["title", "source"]
    date_hierarchy = "published_at"
    readonly_fields = ["status_label", "published_at", "withdrawn_reason", "correction_note", "corrected_at",
                       "created_by", "created_at", "updated_by", "updated_at"]
    fieldsets = [
        (None, {"fields": [("year", "number"), "title", "source", "dated_at", "expected_version"]}),
        ("发布", {"fields": ["status_label", "published_at", "withdrawn_reason", ("correction_note", "corrected_at")]}),
        ("版记", {"classes": ["collapse"], "description": "报、送、发都留空时，印站点设置中的默认版记。",
                "fields": ["report_to", "send_to", "issue_to", "print_run"]}),
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
            head = (None, {"fields": [("year", "number"), "title", "source", "dated_at"]})
            return [head, *fieldsets[1:]]
        if obj.status == Issue.Status.PUBLISHED:
            # A save of a published issue is a correction; it may carry a public note.
            head = (None, {"fields": [*fieldsets[0][1]["fields"], "public_correction_note"]})
            return [head, *fieldsets[1:]]
        return fieldsets

    # Who may edit what -------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or workflow.may_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Only drafts may be deleted, and only by those who may edit them; the rest is withdrawn.
        # A draft once published (reopened after withdrawal) keeps its signed snapshots: not deleted.
        if obj is not None and (obj.status != Issue.Status.DRAFT or obj.snapshot_id is not None):
            return False
        return super().has_delete_permission(request, obj) and (obj is None or workflow.may_edit(request.user, obj))

    def delete_model(self, request, obj):
        audit.record("issue.delete", user=request.user, request=request, obj=obj, detail="放入回收站")
        recycle_bin.keep(obj, by=request.user)
        super().delete_model(request, obj)

    def get_actions(self, request):
        # Bulk deletion would skip the per-issue rule above (drafts only); delete one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

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
        link_saved_entries(request, issue.entries.prefetch_related("entry_people", "units"))
        if change and issue.status == Issue.Status.PUBLISHED:
            workflow.correct(issue, by=request.user, note=form.cleaned_data.get("public_correction_note", ""),
                             request=request)
            return
        save_revision(issue, user=request.user, comment="修改" if change else "新建")

    def response_change(self, request, obj):
        if obj.status == Issue.Status.PUBLISHED:
            self.message_user(request, "已保存更正，并记录为一个版本（更正）。", messages.INFO)
        action = request.POST.get("_workflow", "")
        if action in workflow.TRANSITIONS:
            return self._transition_after_save(request, obj, action)
        return super().response_change(request, obj)

    def _transition_after_save(self, request, obj, action):
        """A workflow button pressed on a changed page: the edits were saved (same transaction,
        same conflict check), now the transition runs on the version just saved."""
        try:
            outcome = run_transition(obj, action, request=request, expected_version=obj.version,
                                     **transition_arguments(request))
        except (workflow.WorkflowError, PermissionDenied) as error:
            reason = str(error) or "您没有权限执行此操作。"
            self.message_user(request, f"已保存您的修改，但未能{workflow.TRANSITIONS[action].label}：{reason}",
                              messages.ERROR)
        else:
            self.message_user(request, "已先保存您在本页的修改。", messages.SUCCESS)
            self._report(request, obj, outcome)
        return redirect(self._change_url(obj))

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
