"""The editors' inbox of submissions: filter, search, preview, return, reject, adopt (and merge)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.audit import record
from bulletins import workflow as issue_workflow
from bulletins.models import Issue, Section

from .. import workflow
from ..access import may_handle
from ..forms import DecisionForm
from ..models import Submission
from .changelist import CheapRowsMixin
from .filters import SentUnitFilter
from .report import report_view

DECISIONS = {"return": workflow.return_submission, "reject": workflow.reject}


class AdoptForm(forms.Form):
    issue = forms.ModelChoiceField(label="采用到期刊", queryset=Issue.objects.none(), empty_label=None,
                                   help_text="只列出您能修改的草稿期刊。")
    section = forms.ModelChoiceField(label="栏目", queryset=Section.objects.order_by("order", "id"), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        drafts = Issue.objects.filter(status=Issue.Status.DRAFT)
        if Issue.Status.DRAFT not in issue_workflow.editable_statuses(user):
            drafts = drafts.none()
        self.fields["issue"].queryset = drafts.newest_first()


@admin.register(Submission)
class SubmissionAdmin(CheapRowsMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "state", "submitted_at", "section_wanted", "adopted_into"]
    list_filter = ["state", ("unit", SentUnitFilter), "section_wanted", "submitted_at"]
    list_select_related = ["unit", "section_wanted", "entry__issue"]
    # Not the body: a substring scan of every body does not fit the inbox's time budget.
    search_fields = ["title", "writer", "approver", "unit__name", "unit__short_names"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["adopt_selected"]
    fields = ["title", "unit", "state", "submitted_at", "date_text", "section_wanted", "writer", "writer_phone",
              "approver", "preview", "adopted_into", "history", "higher_adoptions", "leader_instructions"]
    readonly_fields = ["title", "unit", "state", "submitted_at", "date_text", "section_wanted", "writer",
                       "writer_phone", "approver", "preview", "adopted_into", "history"]
    change_form_template = "admin/submissions/submission/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).sent()

    def has_add_permission(self, request):
        return False  # correspondents write submissions in the portal

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what a unit sent stays

    @admin.display(description="正文预览")
    def preview(self, obj):
        pictures = format_html_join(
            "", '<p><img src="{}" alt="{}" style="max-width:100%;height:auto"></p>',
            ((p.image.url, p.image.alt_text) for p in obj.pictures.select_related("image")),
        )
        # The body was sanitised on save (bulletins.sanitize): it is the allowlisted HTML only.
        return format_html('<div class="submission-preview">{}{}</div>', mark_safe(obj.body), pictures)

    @admin.display(description="采用为", ordering="entry__issue")
    def adopted_into(self, obj):
        if obj.entry_id is None:
            return "—"
        issue = obj.entry.issue
        return format_html('<a href="{}">{}</a>', reverse("admin:bulletins_issue_change", args=[issue.pk]), issue)

    @admin.display(description="处理记录")
    def history(self, obj):
        rows = format_html_join(
            "", "<li>{} {}：{}（{} → {}）{}</li>",
            ((f"{change.at:%Y-%m-%d %H:%M}", change.by.display_name, change.get_action_display(),
              change.get_from_state_display(), change.get_to_state_display(),
              f"意见：{change.comment}" if change.comment else "")
             for change in obj.transitions.select_related("by").order_by("at", "id")),
        )
        return format_html("<ol>{}</ol>", rows) if rows else "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if form.changed_data:
            record("submission.score", request=request, obj=obj,
                   detail=f"上级采用 {obj.higher_adoptions} 次，领导批示 {obj.leader_instructions} 次")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "decision_form": DecisionForm(),
                         "may_handle": may_handle(request.user)}
        return super().change_view(request, object_id, form_url, extra_context)

    # Decisions ----------------------------------------------------------------

    def get_urls(self):
        return [
            path("<int:pk>/decide/<str:decision>/", self.admin_site.admin_view(self.decide_view),
                 name="submissions_submission_decide"),
            path("adopt/", self.admin_site.admin_view(self.adopt_view), name="submissions_submission_adopt"),
            path("report/", self.admin_site.admin_view(report_view), name="submissions_submission_report"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk, decision):
        if request.method != "POST" or decision not in DECISIONS:
            raise PermissionDenied
        if not may_handle(request.user):
            raise PermissionDenied
        submission = get_object_or_404(self.get_queryset(request), pk=pk)
        form = DecisionForm(request.POST)
        try:
            DECISIONS[decision](submission, by=request.user, request=request,
                                **{"comment" if decision == "return" else "reason":
                                   form.data.get("comment", "")[:2000]})
        except workflow.SubmissionError as error:
            messages.error(request, str(error))
        else:
            done = "退回修改" if decision == "return" else "标为未采用"
            messages.success(request, f"《{submission.title}》已{done}。")
        return redirect("admin:submissions_submission_change", pk)

    @admin.action(description="采用选中的信息（多篇合并为一条）", permissions=["handle"])
    def adopt_selected(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:20])
        return redirect(f"{reverse('admin:submissions_submission_adopt')}?ids={ids}")

    def has_handle_permission(self, request):
        return may_handle(request.user)

    def adopt_view(self, request):
        if not may_handle(request.user):
            raise PermissionDenied
        raw = request.POST.get("ids") or request.GET.get("ids", "")
        ids = [int(part) for part in raw.split(",") if part.isdigit()][:20]
        chosen = list(self.get_queryset(request).filter(pk__in=ids).select_related("unit"))
        form = AdoptForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                entry = workflow.adopt(chosen, by=request.user, issue=form.cleaned_data["issue"],
                                       section=form.cleaned_data["section"], request=request)
            except workflow.SubmissionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request,
                                 f"已采用 {len(chosen)} 篇，生成《{entry.issue}》中的一个条目，请在期刊中校对。")
                return redirect("admin:bulletins_issue_change", entry.issue_id)
        context = {**self.admin_site.each_context(request), "title": "采用报送信息", "form": form,
                   "submissions": chosen, "ids": ",".join(str(s.pk) for s in chosen), "opts": self.model._meta}
        return TemplateResponse(request, "admin/submissions/submission/adopt.html", context)

