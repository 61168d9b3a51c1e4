"""The inbox's unit filter: 150 units, listed cheaply, with exactly the markup of Django's own."""

from urllib.parse import quote_plus

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.encoding import iri_to_uri
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

PK_PLACEHOLDER = "~pk~"  # left as it is by urlencode(): "~" is an unreserved URL character


class SentUnitFilter(admin.RelatedOnlyFieldListFilter):
    """The units with something in the list, found by one index probe per unit, shown as one string.

    Django's RelatedOnlyFieldListFilter asks for the distinct units of every submission (a scan of
    the whole table on each page), builds each unit's query string afresh and renders each through
    admin/filter.html. Here the query string is built once with a placeholder for the unit, and the
    list items are written as that template writes them (`choices_html`, read by unit_filter.html).
    """

    template = "admin/submissions/submission/unit_filter.html"

    def field_choices(self, field, request, model_admin):
        listed = model_admin.get_queryset(request).filter(**{self.field_path: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return field.get_choices(include_blank=False, limit_choices_to=Q(Exists(listed)), ordering=ordering)

    def choices(self, changelist):
        self.choices_html = None
        template = changelist.get_query_string({self.lookup_kwarg: PK_PLACEHOLDER}, [self.lookup_kwarg_isnull])
        if changelist.add_facets or self.include_empty_choice or template.count(PK_PLACEHOLDER) != 1:
            yield from super().choices(changelist)  # rare: the template falls back to Django's loop
            return
        everything = changelist.get_query_string(remove=[self.lookup_kwarg, self.lookup_kwarg_isnull])
        choices = [{
            "selected": self.lookup_val is None and not self.lookup_val_isnull,
            "query_string": everything,
            "display": _("All"),
        }]
        lines = [_line(choices[0]["selected"], _href(everything), choices[0]["display"])]
        # The pk, quoted, is letters, digits and %XX: the same in the address as escaped in the page.
        href = _href(template)
        for pk_val, val in self.lookup_choices:
            quoted = quote_plus(str(pk_val))
            choice = {"selected": self.lookup_val is not None and str(pk_val) in self.lookup_val,
                      "query_string": template.replace(PK_PLACEHOLDER, quoted), "display": val}
            choices.append(choice)
            lines.append(_line(choice["selected"], href.replace(PK_PLACEHOLDER, quoted), val))
        self.choices_html = mark_safe("".join(lines))
        yield from choices


def _href(query_string):
    """As admin/filter.html writes a query string: {{ choice.query_string|iriencode }}."""
    return conditional_escape(iri_to_uri(query_string))


def _line(selected, href, display):
    """One choice as admin/filter.html writes it, whitespace included."""
    return '\n    <li%s>\n    <a href="%s">%s</a></li>\n  ' % (
        ' class="selected"' if selected else "", href, conditional_escape(display))
