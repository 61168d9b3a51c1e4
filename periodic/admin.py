from django.contrib import admin

from wenming.admin_mixins import ReadOnlyAdminMixin

from .models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the schedule is in periodic/jobs.py and the settings, not edited here."""

    list_display = ["name", "next_run_at", "claimed_by", "finished_at", "outcome", "message"]
    readonly_fields = list_display

