"""Admin behaviour shared across apps."""

from django.utils.text import capfirst


class ReadOnlyAdminMixin:
    """A record kept by the system (audit log, task runs, periodic jobs): shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
