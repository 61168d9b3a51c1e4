import hashlib
import json

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .models import Issue, Person, Section, Unit
from .public_cache import cached_value, current_generation, public_page
from .search import MAX_QUERY_LENGTH, MAX_RESULTS, Filters, entries_in_order, find, highlight, parse_query, snippet

RESULTS_PER_PAGE = 20
FORM_FIELDS = ("q", "year", "section", "person", "unit", "date_from", "date_to")


def _public_choices():
    """The options of the filters: the years, sections, people and units of published issues."""
    years = Issue.objects.published().order_by("-year").values_list("year", flat=True).distinct()
    return {
        "year": [(year, f"{year}年") for year in years],
        "section": list(Section.objects.public().values_list("slug", "name", "pk")),
        "person": list(Person.objects.public().values_list("pk", "name")),  # by name alone: titles and notes are internal
        "unit": list(Unit.objects.public().values_list("pk", "name")),
    }


def filter_choices(generation):
    """The filters' options, computed once per listings stamp (they change only when an issue is
    published or withdrawn, or a site-wide change starts a new generation)."""
    return cached_value(f"search-choices:{generation.stamp}", _public_choices, generation=generation)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="搜索词",
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH, "placeholder": "如：创文 植树"}),
        help_text="多个词用空格分开，条目须包含全部词语。",
    )
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)
    section = forms.TypedChoiceField(label="栏目", required=False, empty_value=None)
    person = forms.TypedChoiceField(label="人物", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请按 2023-04-06 的格式填写日期。"},
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="按条目的事件日期；没有具体日期（近日、日前）的按所在期刊的发布日期。",
        error_messages={"invalid": "请按 2023-04-06 的格式填写日期。"},
    )
    EMPTY_LABELS = {"year": "全部年份", "section": "全部栏目", "person": "全部人物", "unit": "全部单位"}

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices if choices is not None else _public_choices()
        self.section_ids = {slug: pk for slug, _, pk in choices["section"]}
        for name, empty_label in self.EMPTY_LABELS.items():
            options = [(value, label) for value, label, *_ in choices[name]]
            self.fields[name].choices = [("", empty_label), *options]
            self.fields[name].error_messages["invalid_choice"] = "没有这个选项，已按全部搜索。"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")  # also drops it from cleaned_data
        return data

    def select_options(self):
        """(bound field, its <option>s as HTML) for each select. Built here rather than by a
        template loop or Django's per-option widget templates, which cost more than the search."""
        selects = []
        for name in ("year", "section", "person", "unit"):
            chosen = str(self.data.get(name, ""))
            options = format_html_join(
                "", '<option value="{}"{}>{}</option>',
                ((value, mark_safe(" selected") if str(value) == chosen else "", label)
                 for value, label in self.fields[name].choices),
            )
            selects.append((self[name], options))
        return selects

    def filters(self):
        """The filters that are valid; a bad one is reported on the form and left out."""
        data = getattr(self, "cleaned_data", {})
        names = ("year", "person", "unit", "date_from", "date_to")
        return Filters(section=self.section_ids.get(data.get("section")), **{name: data.get(name) for name in names})


def _search_key(query, filters):
    """The normalised query: its terms (NFKC, lower case, no repeats) and the valid filters."""
    described = [
        query.terms,
        filters.year,
        *(getattr(value, "pk", value) for value in (filters.section, filters.person, filters.unit)),
        *(value.isoformat() if value else None for value in (filters.date_from, filters.date_to)),
    ]
    return "search:" + hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()


def _results_html(query, ids):
    """One page of results as HTML: the entries read, their snippets highlighted, rendered."""
    found = [
        {"entry": e, "snippet": snippet(e, query.terms), "issue_title": highlight(e.issue.title, query.terms)}
        for e in entries_in_order(ids)
    ]
    return render_to_string("bulletins/search_results.html", {"found": found})


@public_page(params=(*FORM_FIELDS, "page"))
def search_view(request):
    """Results are found and ranked once per normalised query, and each page of them rendered
    once, within the listings' stamp (the search page's, bulletins/page_stamps.py): a publication
    anywhere starts them afresh."""
    generation = current_generation(request)
    form = SearchForm(request.GET, choices=filter_choices(generation))
    form.is_valid()
    query = parse_query(request.GET.get("q", ""))
    key = f"{_search_key(query, form.filters())}:{generation.stamp}"
    # Each query a client makes up is one more variant: bounded like the stored pages (MOST_VARIANTS).
    ids, truncated = cached_value(key, lambda: find(query, form.filters()), generation=generation,
                                  variant_of="search")
    page = Paginator(ids, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    results_html = cached_value(
        f"{key}:{page.number}", lambda: _results_html(query, page.object_list), generation=generation,
        variant_of="search",
    ) if ids else ""
    params = QueryDict(mutable=True)  # only the search's own parameters carry over to the other pages
    for name in FORM_FIELDS:  # the value the form read (the last), as the page's cache key has it
        if name in request.GET:
            params[name] = request.GET[name]
    context = {
        "form": form,
        "query": query,
        "asked": bool(request.GET.get("q", "").strip()),
        "page": page,
        "results_html": mark_safe(results_html),
        "truncated": truncated,
        "max_results": MAX_RESULTS,
        "querystring": params.urlencode(),
        "search_text": request.GET.get("q", ""),
    }
    return render(request, "bulletins/search.html", context)
