"""The entry admin (条目) and the entry inlines of the issue page."""

import reversion
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.utils.safestring import mark_safe

from bulletins import workflow
from bulletins.models import Entry, EntryBand, EntryPerson, Issue
from bulletins.revisions import save_revision
from bulletins.sanitize import sanitize_html
from wenming.admin_mixins import HiddenFromDeletePageMixin, LeanChangeFormMediaMixin

from .importing import link_saved_entries
from .issue_forms import EntryAdminForm, EntryInlineForm
from .preloaded_fields import PreloadedModelChoiceField, PreloadedModelMultipleChoiceField, preload_entry_fields
from .proofreading import ReturnToProofreadingMixin
from .unit_widgets import EntryUnitsWidget, use_prefetched_units


class EditableWithIssueMixin:
    """Entries of an issue are edited only by those who may edit the issue in its state."""

    def _may_edit(self, request, issue):
        return issue is None or workflow.may_edit(request.user, issue)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    # Read-only pages show the body as the public page does, not its HTML source.

    def _read_only(self, request, obj):
        return obj is not None and not self.has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self._read_only(request, obj):
            return ["rendered_body" if name == "body" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "rendered_body"] if self._read_only(request, obj) else fields

    @admin.display(description="正文")
    def rendered_body(self, entry):
        # Sanitised again on the way out: the page does not trust what is stored.
        return mark_safe(sanitize_html(entry.body))  # noqa: S308 (sanitised above)


class EntryInlineFormSet(BaseInlineFormSet):
    """The entries of an issue page: the section list is read once for the page, not once per entry,
    and a save validates each entry's id, 栏目 and 单位 against what the page has read."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("section")
        if field is not None:
            if not hasattr(self, "_section_choices"):
                self._section_choices = list(iter(field.choices))  # iter: no COUNT query
            field.choices = self._section_choices
        use_prefetched_units(form)
        preload_entry_fields(self, form)


class EntryInline(EditableWithIssueMixin, admin.StackedInline):
    model = Entry
    formset = EntryInlineFormSet

    def get_queryset(self, request):
        # Each entry's units for its form in one query, not one per entry.
        return super().get_queryset(request).prefetch_related("units")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["form_class"] = PreloadedModelChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "units":
            kwargs["widget"] = EntryUnitsWidget(
                db_field, self.admin_site, using=kwargs.get("using"))
            kwargs["form_class"] = PreloadedModelMultipleChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    form = EntryInlineForm
    extra = 0
    ordering = ["section__order", "order", "id"]
    autocomplete_fields = ["units"]
    fields = [("section", "order"), ("date_text", "event_date"), "body", "units"]
    show_change_link = True


class EntryPersonInline(admin.TabularInline):
    model = EntryPerson
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Entry)
class EntryAdmin(LeanChangeFormMediaMixin, HiddenFromDeletePageMixin, ReturnToProofreadingMixin,
                 EditableWithIssueMixin, admin.ModelAdmin):
    hidden_on_delete_page = (EntryBand,)

    form = EntryAdminForm
    list_display = ["__str__", "issue", "section", "order", "date_text"]
    list_filter = ["section", "issue__year"]
    search_fields = ["plain_text"]
    autocomplete_fields = ["units"]
    list_select_related = ["issue", "section"]
    fields = ["issue", ("section", "order"), ("date_text", "event_date"), "body", "units", "expected_issue_version"]
    inlines = [EntryPersonInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return [name for name in fields if name != "expected_issue_version"]
        return fields

    def _may_edit(self, request, entry):
        return entry is None or workflow.may_edit(request.user, entry.issue)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "issue" in form.base_fields:
            # A new or moved entry may only go into an issue the user may edit.
            form.base_fields["issue"].queryset = Issue.objects.filter(
                status__in=workflow.editable_statuses(request.user)
            )
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            with reversion.create_revision(manage_manually=True):
                return super().changeform_view(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_saved_entries(request, [form.instance])
        # An entry saved on its own page is still a change of its issue(s): new version and revision.
        issue_ids = {form.instance.issue_id}
        if change and "issue" in form.changed_data:
            issue_ids.add(form.initial.get("issue"))
        for issue in Issue.objects.select_for_update().filter(pk__in=issue_ids):
            self._issue_changed(request, issue, comment="修改条目")

    def delete_model(self, request, obj):
        issue = obj.issue
        with reversion.create_revision(manage_manually=True):
            super().delete_model(request, obj)
            self._issue_changed(request, issue, comment="删除条目")

    def delete_queryset(self, request, queryset):
        """“删除所选”: each entry as on its own page — checked against its issue's state, and a
        published issue corrected (signed again) rather than changed behind its snapshot."""
        for entry in queryset.select_related("issue"):
            if not self._may_edit(request, entry):
                raise PermissionDenied(f"“{entry.issue}”当前状态为“{entry.issue.get_status_display()}”，您不能删除其中的条目。")
            self.delete_model(request, entry)

    def _issue_changed(self, request, issue, *, comment):
        """An entry saved or deleted on its own page is a change of its issue: new version, and a
        correction (signed again) when the issue is published, else a revision."""
        issue.version += 1
        issue.updated_by = request.user
        issue.save(update_fields=["version", "updated_by", "updated_at"])
        if issue.status == Issue.Status.PUBLISHED:
            workflow.correct(issue, by=request.user, what="条目", request=request)
        else:
            save_revision(issue, user=request.user, comment=comment)
