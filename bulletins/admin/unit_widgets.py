"""The 单位 field of the entry inlines: its selected units come from the page's one prefetch query,
and its select2 autocomplete starts when it is reached (static/bulletins/admin/lazy-autocomplete.js),
select2 itself loaded then, not with the page."""

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.templatetags.static import static


class EntryUnitsWidget(AutocompleteSelectMultiple):
    """Django's autocomplete widget, started lazily; it reads the selected objects with one query per
    form, this one takes them from `known` (the entry's prefetched units) when they cover the selection."""

    known = None

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # Not `admin-autocomplete`: Django's autocomplete.js would start every one on load.
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "lazy-autocomplete")
        return attrs

    @property
    def media(self):
        # Django's media less select2 and autocomplete.js (five files the page waited for), which
        # lazy-autocomplete.js loads, in Django's order, when the first 单位 field is reached.
        extra = "" if settings.DEBUG else ".min"
        stock = super().media
        later = [path for path in stock._js if path not in ("admin/js/vendor/jquery/jquery%s.js" % extra,
                                                                "admin/js/jquery.init.js")]
        return forms.Media(
            js=["admin/js/vendor/jquery/jquery%s.js" % extra, "admin/js/jquery.init.js",
                forms.Script("bulletins/admin/lazy-autocomplete.js", id="lazy-autocomplete-script", **{
                    "data-scripts": " ".join(static(path) for path in later),
                    "data-styles": " ".join(static(path) for path in stock._css["screen"]),
                })],
            css={"screen": ["bulletins/admin/lazy-autocomplete.css"]},
        )

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
    if isinstance(widget, EntryUnitsWidget) and form.instance.pk:
        cache = getattr(form.instance, "_prefetched_objects_cache", {})
        if "units" in cache:
            widget.known = list(cache["units"])
