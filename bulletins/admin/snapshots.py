"""Signed snapshots (签发快照) for signers and auditors: read, never added, changed or deleted here.

The detail shows the print sheet as signed inside a sandboxed frame (no scripts, forms or
navigation, whatever the stored HTML holds — the snapshot read here may be one that failed its
check) with the paper stylesheet of its own, so neither the admin's CSP (which allows inline
scripts for CKEditor) nor its styles touch it.
"""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from wenming.admin_mixins import ReadOnlyAdminMixin

from ..models import IssueSnapshot
from ..snapshots import is_intact, label, may_see_alert

SHEET_DOCUMENT = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
                  '<link rel="stylesheet" href="{stylesheet}"></head><body>{sheet}</body></html>')


def issue_snapshots_url(issue_id):
    """The snapshot list narrowed to one issue's snapshots (linked from the alert on the index)."""
    return f"{reverse('admin:bulletins_issuesnapshot_changelist')}?issue__id__exact={issue_id}"


@admin.register(IssueSnapshot)
class IssueSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issue_label", "issue_version", "signer", "signed_time", "sha256", "revision_label", "intact"]
    list_display_links = ["issue_label"]
    list_select_related = ["issue", "signed_by", "revision"]
    list_filter = ["signed_at"]
    search_fields = ["sha256", "issue__title"]
    date_hierarchy = "signed_at"
    list_per_page = 50
    actions = None
    fields = ["issue_label", "issue_version", "signer", "signed_time", "sha256", "revision_label", "intact", "sheet"]
    readonly_fields = fields

    class Media:
        css = {"all": ["workflow/admin.css"]}

    def has_module_permission(self, request):
        return may_see_alert(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see_alert(request.user)

    @admin.display(description="期刊", ordering="issue__year")
    def issue_label(self, obj):
        return f"{label(obj.issue)} {obj.issue.title}"

    @admin.display(description="签发人")
    def signer(self, obj):
        return obj.signed_by.display_name if obj.signed_by else "（系统）"

    @admin.display(description="签发时间", ordering="signed_at")
    def signed_time(self, obj):
        return timezone.localtime(obj.signed_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="签发的修订版本")
    def revision_label(self, obj):
        revision = obj.revision
        if revision is None:
            return "（未记录）"
        when = timezone.localtime(revision.date_created).strftime("%Y-%m-%d %H:%M")
        return f"第 {revision.pk} 号修订（{when}）{revision.get_comment()}"

    @admin.display(description="哈希核对")
    def intact(self, obj):
        return "相符" if is_intact(obj) else "不符：快照内容已被改动"

    @admin.display(description="打印版（签发时的样式）")
    def sheet(self, obj):
        document = SHEET_DOCUMENT.format(stylesheet=static("css/paper.css"), sheet=obj.print_html)
        return format_html('<iframe class="snapshot-sheet" sandbox title="{}的签发快照打印版" srcdoc="{}"></iframe>',
                           label(obj.issue), document)
