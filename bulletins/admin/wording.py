from django.contrib import admin

from bulletins.models import WordRule


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    list_display = ["wrong", "right", "severity", "is_active", "note", "updated_at"]
    list_filter = ["severity", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["wrong", "right", "note"]
    fields = ["wrong", "right", "severity", "note", "is_active"]
