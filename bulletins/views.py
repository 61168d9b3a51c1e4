from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from .models import Entry, EntryPerson, Issue, Person, Section, Unit

ISSUES_PER_PAGE = 20
ENTRIES_PER_PAGE = 20


def home(request):
    issues = Issue.objects.published().newest_first()
    return render(request, "bulletins/home.html", {"latest": issues.first(), "recent": issues[1:11]})


def issue_list(request):
    issues = Issue.objects.published().newest_first()
    years = issues.order_by("-year").values_list("year", flat=True).distinct()
    year = request.GET.get("year", "")
    if year.isdigit():
        issues = issues.filter(year=int(year))
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "bulletins/issue_list.html", {"page": page, "years": years, "year": year})


def _issue_for(request, year, number):
    """The issue the public may see; editors with the change permission also get drafts (preview)."""
    issue = get_object_or_404(Issue, year=year, number=number)
    preview = not issue.is_published
    if preview and not request.user.has_perm("bulletins.change_issue"):
        raise Http404("没有找到这一期简报。")
    return issue, preview


def _sections_of(issue):
    entries = (
        issue.entries.select_related("section")
        .prefetch_related(Prefetch("entry_people", queryset=EntryPerson.objects.select_related("person")), "units")
        .order_by("section__order", "section_id", "order", "id")
    )
    sections = []
    for entry in entries:
        if not sections or sections[-1][0] != entry.section:
            sections.append((entry.section, []))
        sections[-1][1].append(entry)
    return sections


def _render_issue(request, year, number, template):
    issue, preview = _issue_for(request, year, number)
    context = {"issue": issue, "sections": _sections_of(issue), "preview": preview}
    if not preview:
        context.update(newer=issue.newer(), older=issue.older())
    response = render(request, template, context)
    if preview:
        add_never_cache_headers(response)
    return response


def issue_detail(request, year, number):
    return _render_issue(request, year, number, "bulletins/issue_detail.html")


def issue_print(request, year, number):
    return _render_issue(request, year, number, "bulletins/issue_print.html")


def _entry_page(request, entries, template, context):
    entries = (
        entries.filter(issue__in=Issue.objects.published())
        .select_related("issue", "section")
        .order_by("-issue__year", "-issue__number", "section__order", "order")
    )
    context["page"] = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, template, context)


def section_entries(request, slug):
    section = get_object_or_404(Section, slug=slug)
    return _entry_page(request, section.entries.all(), "bulletins/section.html", {"section": section})


def person_entries(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return _entry_page(request, person.entries.all(), "bulletins/person.html", {"person": person})


def unit_entries(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    return _entry_page(request, unit.entries.all(), "bulletins/unit.html", {"unit": unit})
