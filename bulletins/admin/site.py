from django.contrib import admin
from django.shortcuts import redirect

from bulletins.models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        ("名称", {"fields": ["site_name", "bulletin_name", "issuing_office"]}),
        ("页脚", {"fields": ["footer_text", "contact", "icp_number", "police_number"]}),
        ("印发（版记与红头）", {"fields": ["report_to", "send_to", "issue_to", "print_run", "signer_name",
                                      "internal_marking"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        SiteSettings.load()
        return redirect("admin:bulletins_sitesettings_change", 1)
