"""Admin behaviour shared across apps."""

from django import forms
from django.utils.text import capfirst


class ReadOnlyAdminMixin:
    """A record kept by the system (audit log, task runs, periodic jobs): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LeanChangeFormMediaMixin:
    """A change page with no prepopulated field leaves out the scripts every admin page loads for
    prepopulated fields and for the list's bulk actions: four blocking scripts, one of them 160 KB."""

    unused_on_change_form = ("admin/js/actions", "admin/js/urlify", "admin/js/prepopulate.",
                             "admin/js/vendor/xregexp/")

    def render_change_form(self, request, context, *args, **kwargs):
        media = context.get("media")
        prepopulated = context["adminform"].prepopulated_fields or any(
            formset.prepopulated_fields for formset in context.get("inline_admin_formsets", ()))
        if media is not None and not prepopulated:
            js = [script for script in media._js
                  if not (isinstance(script, str) and script.startswith(self.unused_on_change_form))]
            context["media"] = forms.Media(js=js, css=media._css)
        return super().render_change_form(request, context, *args, **kwargs)


class HiddenFromDeletePageMixin:
    """Leaves rows of `hidden_on_delete_page` (internal indexes, deleted with their entry) out of
    the delete confirmation, which lists what a person loses."""

    hidden_on_delete_page = ()

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        prefixes = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in self.hidden_on_delete_page)
        for model in self.hidden_on_delete_page:
            model_count.pop(model._meta.verbose_name_plural, None)
        return _without(to_delete, prefixes), model_count, perms_needed, protected


def _without(nested, prefixes):
    """`nested` (Django's list of lists of strings) without the strings that start with `prefixes`."""
    kept = []
    for item in nested:
        if isinstance(item, list):
            inner = _without(item, prefixes)
            if inner:
                kept.append(inner)
        elif not (prefixes and str(item).startswith(prefixes)):
            kept.append(item)
    return kept
