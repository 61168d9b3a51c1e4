"""The 单位 field of the entry inlines: its selected units come from the page's one prefetch query."""

from django.contrib.admin.widgets import AutocompleteSelectMultiple


class PrefetchedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """Django's autocomplete widget reads the selected objects with one query per form; this one
    takes them from `known` (the entry's prefetched units) when they cover the selection."""

    known = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = {str(obj.pk): obj for obj in self.known or ()}
        if self.known is None or not selected <= known.keys():
            return super().optgroups(name, value, attr)
        # The prefetch query ordered them as the widget's own query would (the model's ordering).
        objects = [obj for obj in self.known if str(obj.pk) in selected]
        label = self.choices.field.label_from_instance
        options = [self.create_option(name, obj.pk, label(obj), selected, index)
                   for index, obj in enumerate(objects)]
        return [(None, options, 0)]


def use_prefetched_units(form):
    """Point the form's 单位 widget at its saved entry's prefetched units."""
    field = form.fields.get("units")
    widget = getattr(getattr(field, "widget", None), "widget", None)
    if isinstance(widget, PrefetchedAutocompleteSelectMultiple) and form.instance.pk:
        cache = getattr(form.instance, "_prefetched_objects_cache", {})
        if "units" in cache:
            widget.known = list(cache["units"])
