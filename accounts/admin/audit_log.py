"""The audit log for the 审计员: browse, filter, export as CSV; nobody changes or deletes it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from accounts.audit import action_label, object_type_label, record
from accounts.models import AuditEvent
from wenming import spreadsheet
from wenming.admin_mixins import ReadOnlyAdminMixin

CSV_COLUMNS = ["时间", "用户名", "客户端地址", "操作", "对象类型", "对象ID", "对象", "结果", "详情"]


class _Echo:
    def write(self, value):
        return value


class ActionFilter(admin.SimpleListFilter):
    title = "操作"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        return sorted((action, action_label(action)) for action in actions)

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


def csv_rows(events):
    yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    writer = spreadsheet.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.username,
            event.ip_address or "",
            action_label(event.action),
            object_type_label(event.object_type),
            event.object_id,
            event.object_repr,
            event.get_outcome_display(),
            event.detail,
        ])


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only: no role, not even a superuser, adds, changes or deletes a record here."""

    list_display = ["time", "username", "ip_address", "action_display", "object_repr", "outcome"]
    list_filter = [ActionFilter, "outcome", "created_at"]
    search_fields = ["username", "ip_address", "object_repr", "detail"]
    date_hierarchy = "created_at"
    list_per_page = 50
    change_list_template = "admin/accounts/auditevent/change_list.html"
    fields = ["created_at", "username", "user", "ip_address", "action_display", "object_type_display", "object_id",
              "object_repr", "outcome", "detail"]
    readonly_fields = fields
    actions = None

    @admin.display(description="时间", ordering="created_at")
    def time(self, obj):
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description="操作", ordering="action")
    def action_display(self, obj):
        return action_label(obj.action)

    @admin.display(description="对象类型")
    def object_type_display(self, obj):
        return object_type_label(obj.object_type)


    def has_export_permission(self, request):
        return request.user.has_perm("accounts.export_auditevent")

    def get_urls(self):
        export = path("export/", self.admin_site.admin_view(self.export_view), name="accounts_auditevent_export")
        return [export, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """The records the change list shows (same filters and search), as a streamed CSV file."""
        if not (self.has_view_permission(request) and self.has_export_permission(request)):
            raise PermissionDenied
        events = self.get_changelist_instance(request).get_queryset(request)
        export = record("audit.export", request=request, detail=f"筛选条件：{request.GET.urlencode() or '无'}")
        events = events.exclude(pk=export.pk)
        filename = f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        response = StreamingHttpResponse(csv_rows(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


