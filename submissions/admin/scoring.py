"""考评 rules, kept by the administrator; each period is scored with the rule in force then."""

from django.contrib import admin

from ..models import ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "quota_period", "quota", "points_quota_met", "points_per_extra",
                    "points_per_adoption", "points_higher_adoption", "points_leader_instruction",
                    "deduction_missed_quota"]

    def has_delete_permission(self, request, obj=None):
        return False  # a past period's score must stay reproducible
