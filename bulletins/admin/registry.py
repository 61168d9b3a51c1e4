from django.contrib import admin

from bulletins.models import Entry, Issue, Person, PersonTitle, Section, Unit


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

    def get_deleted_objects(self, objs, request):
        """A unit named in a published issue is protected, as sections and people are by their
        foreign keys: deleting it would change signed pages behind their snapshots."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *_named_in_published_issues(objs)]


def _named_in_published_issues(units):
    links = (Entry.units.through.objects.filter(unit__in=units, entry__issue__status=Issue.Status.PUBLISHED)
             .values_list("unit__name", "entry__issue__year", "entry__issue__number")
             .distinct().order_by("unit__name", "entry__issue__year", "entry__issue__number"))
    issues = {}
    for name, year, number in links:
        issues.setdefault(name, []).append(f"{year}年第{number}期")
    return [f"单位“{name}”出现在已发布的{'、'.join(labels[:5])}{'等' if len(labels) > 5 else ''}"
            f"{len(labels)}期中，删除会改变已签发的页面" for name, labels in issues.items()]
