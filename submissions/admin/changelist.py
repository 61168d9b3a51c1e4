"""The inbox's list page made cheap per row, with exactly the markup of Django's own.

Django's admin works out, for every one of the 50 rows and every column, what the column is, how
it is shown and whether it links; it renders each row's select box through three widget templates
and reverses each row's link. Here the columns are worked out once per page (with Django's own
rules, admin/templatetags/admin_list.items_for_result), the link once, and each row is one string.
tests/test_submissions_inbox_rows.py compares the rows with Django's; docs/benchmarks-submissions.md
has the figures. The unit filter is made cheap the same way in filters.py.
"""

import datetime
from urllib.parse import quote as urlquote

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import ResultList, _coerce_field_name, results
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName, _get_non_gfk_field, display_for_field, display_for_value, quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PK_PLACEHOLDER = "~pk~"  # left as it is by reverse(): "~" is an unreserved URL character
NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class InboxChangeList(ChangeList):
    def url_for_result(self, result):
        template = getattr(self, "_change_url_template", None)
        if template is None:
            template = self._change_url_template = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(PK_PLACEHOLDER,), current_app=self.model_admin.admin_site.name,
            )
        # As reverse() quotes an argument (admin quoting first, then the URL's reserved characters).
        pk = urlquote(str(quote(getattr(result, self.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@")
        return template.replace(PK_PLACEHOLDER, pk, 1)

    def result_rows(self):
        """The rows for admin/change_list_results.html: each row one ready string of cells."""
        columns = self._columns()
        if columns is None:
            return list(results(self))
        return [ResultList(None, [SafeString("".join([cell(obj) for cell in columns]))])
                for obj in self.result_list]

    def _columns(self):
        """One function per column, object → cell; None where Django's own rows are needed."""
        if self.formset or self.is_popup or self.to_field:
            return None
        empty = self.model_admin.get_empty_value_display()
        columns, first = [], True
        for index, name in enumerate(self.list_display):
            css = "field-%s" % _coerce_field_name(name, index)
            try:
                field = _get_non_gfk_field(self.lookup_opts, name)
            except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
                if callable(name) or name == "__str__" or not hasattr(self.model_admin, name):
                    return None  # a model attribute or a callable: rare, left to Django
                show = _method_display(getattr(self.model_admin, name), name, css, empty)
            else:
                if field.auto_created:
                    return None
                show = _field_display(field, name, css, empty)
            if self._links(first, name):
                columns.append(self._linked(show, "th" if first else "td"))
                first = False
            else:
                columns.append(lambda obj, show=show: "<td%s>%s</td>" % _escaped(*show(obj, False)))
        return columns

    def _links(self, first, name):
        if self.list_display_links is None:
            return False
        if first and not self.list_display_links:
            return True
        return name in self.list_display_links

    def _linked(self, show, tag):
        suffix = None

        def cell(obj):
            nonlocal suffix
            css, text = show(obj, True)
            try:
                url = self.url_for_result(obj)
            except NoReverseMatch:
                return "<%s%s>%s</%s>" % (tag, *_escaped(css, text), tag)
            if suffix is None:  # the preserved filters, the same on every row's change link
                full = add_preserved_filters({"preserved_filters": self.preserved_filters, "opts": self.opts}, url)
                suffix = full[len(url):] if full.startswith(url) else None
                url = full
            else:
                url += suffix
            return '<%s%s><a href="%s">%s</a></%s>' % (tag, *_escaped(css, url, text), tag)

        return cell


def _escaped(*values):
    """As format_html() treats its arguments: safe strings as they are, everything else escaped."""
    return tuple([conditional_escape(value) for value in values])


def _classes(names):
    return mark_safe(' class="%s"' % " ".join(names))


def _method_display(method, name, css, empty):
    """A ModelAdmin method column, shown as items_for_result shows it."""
    own_empty = getattr(method, "empty_value_display", empty)
    boolean = getattr(method, "boolean", False)
    base = ["action-checkbox" if name == "action_checkbox" else css]
    plain, nowrap, missing = _classes(base), _classes([*base, "nowrap"]), _classes([css])

    def show(obj, as_link):
        try:
            value = method(obj)
        except ObjectDoesNotExist:
            return missing, empty
        if isinstance(value, str) and value.strip() == "":
            value = ""
        dated = isinstance(value, (datetime.date, datetime.time))
        return (nowrap if dated else plain), display_for_value(value, own_empty, boolean)

    return show


def _field_display(field, name, css, empty):
    """A model field column, shown as items_for_result shows it."""
    classes = _classes([css, "nowrap"] if isinstance(field, NOWRAP_FIELDS) else [css])
    missing = _classes([css])
    related = isinstance(field.remote_field, models.ManyToOneRel)
    # display_for_field() looks a value up in the choices first; here the lookup table is built once.
    choices = dict(field.flatchoices) if not related and field.flatchoices else None

    def show(obj, as_link):
        try:
            value = getattr(obj, name)
        except ObjectDoesNotExist:
            return missing, empty
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if related:
            return classes, (empty if value is None else value)
        if choices is not None and isinstance(value, str):
            return classes, choices.get(value, empty)
        return classes, display_for_field(value, field, empty, avoid_link=as_link)

    return show


class CheapRowsMixin:
    """For a ModelAdmin: the list rows above, and the select box as Django renders it, in one step."""

    def get_changelist(self, request, **kwargs):
        return InboxChangeList

    def action_checkbox(self, obj):
        # format_html() twice, as ModelAdmin.action_checkbox's widget renders it, in one step.
        label = _("Select this object for an action - {}").format(conditional_escape(str(obj)))
        return mark_safe(f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" value="{escape(str(obj.pk))}" '
                         f'class="action-select" aria-label="{label}">')
