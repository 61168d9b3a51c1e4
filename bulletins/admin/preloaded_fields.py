"""Choice fields of the entry inlines that find a submitted object among those the formset has read.

Django's model choice fields ask the database for every submitted value: a save of an issue with
13 entries read each entry's row, 栏目 and 单位 again, one query per form and field. These fields
look the value up among the objects read once for the formset (the entries, the section list,
each entry's prefetched units) and ask the database only for a value not among them, so what they
accept and refuse is what the stock fields accept and refuse.
"""

from django import forms


def _by_pk(field):
    """Whether the field's values are primary keys (a foreign key names its target field, "id")."""
    return field.to_field_name in (None, field.queryset.model._meta.pk.attname)


class PreloadedModelChoiceField(forms.ModelChoiceField):
    """`objects`: pk string → object, each one of this field's queryset."""

    def __init__(self, *args, objects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects or {}

    def to_python(self, value):
        if _by_pk(self) and isinstance(value, (str, int)):
            found = self.objects.get(str(value))
            if found is not None:
                return found
        return super().to_python(value)


class PreloadedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """`objects`: pk string → object, each one of this field's queryset (the entry's own units)."""

    objects = {}

    def _check_values(self, value):
        try:
            keys = [str(pk) for pk in value]
        except TypeError:
            return super()._check_values(value)
        if not _by_pk(self) or not set(keys) <= self.objects.keys():
            return super()._check_values(value)
        return [self.objects[key] for key in dict.fromkeys(keys)]


def preload_entry_fields(formset, form):
    """Point the form's id, 栏目 and 单位 fields at the objects the formset has read."""
    if not form.is_bound:
        return
    pk_name = formset.model._meta.pk.name
    if not hasattr(formset, "_entries_by_pk"):
        formset._entries_by_pk = {str(entry.pk): entry for entry in formset.get_queryset()}
    old = form.fields[pk_name]
    if type(old) is forms.ModelChoiceField:
        form.fields[pk_name] = PreloadedModelChoiceField(
            old.queryset, objects=formset._entries_by_pk, initial=old.initial, required=False, widget=old.widget)
    section = form.fields.get("section")
    if isinstance(section, PreloadedModelChoiceField):
        if not hasattr(formset, "_sections_by_pk"):
            formset._sections_by_pk = {str(value): value.instance for value, _ in section.choices if value}
        section.objects = formset._sections_by_pk
    units = form.fields.get("units")
    cache = getattr(form.instance, "_prefetched_objects_cache", {})
    if isinstance(units, PreloadedModelMultipleChoiceField) and "units" in cache:
        units.objects = {str(unit.pk): unit for unit in cache["units"]}
