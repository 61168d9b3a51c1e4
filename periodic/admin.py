from django.contrib import admin

from .models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    """Read-only: the schedule is in periodic/jobs.py and the settings, not edited here."""

    list_display = ["name", "next_run_at", "claimed_by", "finished_at", "outcome", "message"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
