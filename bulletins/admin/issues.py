from django.contrib import admin

from bulletins.forms import EntryForm
from bulletins.models import Entry, EntryPerson, Issue

from .importing import link_saved_entries


class EntryInline(admin.StackedInline):
    model = Entry
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


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "number", "status", "is_published", "published_at", "updated_by", "updated_at"]
    list_display_links = ["title"]
    list_filter = ["year", "status", "entries__section"]
    search_fields = ["title", "source"]
    date_hierarchy = "published_at"
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    fieldsets = [
        (None, {"fields": [("year", "number"), "title", "source"]}),
        ("发布", {"fields": ["status", "published_at"]}),
        ("记录", {"classes": ["collapse"], "fields": [("created_by", "created_at"), ("updated_by", "updated_at")]}),
    ]
    inlines = [EntryInline]

    @admin.display(boolean=True, description="公开可见")
    def is_published(self, obj):
        return obj.is_published

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by").distinct()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_saved_entries(request, form.instance.entries.all())  # importer: link people and units in the text


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ["__str__", "issue", "section", "order", "date_text"]
    list_filter = ["section", "issue__year"]
    search_fields = ["plain_text"]
    autocomplete_fields = ["units"]
    list_select_related = ["issue", "section"]
    fields = ["issue", ("section", "order"), ("date_text", "event_date"), "body", "units"]
    inlines = [EntryPersonInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_saved_entries(request, [form.instance])  # importer: link people and units in the text
