from django.contrib import admin

from bulletins.models import Person, PersonTitle, Section, Unit


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {}
    search_fields = ["name"]


class PersonTitleInline(admin.TabularInline):
    model = PersonTitle
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "note"]
    search_fields = ["name", "title"]
    inlines = [PersonTitleInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_names", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_names"]
