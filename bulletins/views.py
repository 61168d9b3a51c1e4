import functools

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import condition

from . import pdf, render_box, snapshots
from .articles import article_from_live, render_article
from .models import EntryPerson, Issue, Person, Section, Unit
from .page_stamps import issue_page
from .public_cache import cached_value, current_generation, is_cacheable_request, public_page
from .site_url import absolute_url

ISSUES_PER_PAGE = 20
ENTRIES_PER_PAGE = 20
HOME_RECENT_ISSUES = 10
HOME_ENTRIES_PER_SECTION = 2


def _group_by_section(entries):
    sections = []
    for entry in entries:
        if not sections or sections[-1][0] != entry.section:
            sections.append((entry.section, []))
        sections[-1][1].append(entry)
    return sections


@public_page()
def home(request):
    recent = Issue.objects.published().with_snapshot_hash().newest_first()[: HOME_RECENT_ISSUES + 1]
    issues = snapshots.public_issues(recent)
    latest = issues[0] if issues else None
    sections = []
    if latest:
        entries = latest.entries.select_related("section").order_by("section__order", "section_id", "order", "id")
        entries = snapshots.public_entries(snapshots.with_issue_hash(entries))
        sections = [
            (section, section_entries[:HOME_ENTRIES_PER_SECTION], len(section_entries))
            for section, section_entries in _group_by_section(entries)
        ]
    return render(request, "bulletins/home.html", {"latest": latest, "sections": sections, "recent": issues[1:]})


@public_page(params=("year", "page"))
def issue_list(request):
    published = Issue.objects.published()
    years = list(published.order_by("-year").values_list("year", flat=True).distinct())
    year = request.GET.get("year", "")
    issues = published.with_snapshot_hash().newest_first()
    if year.isdigit():
        issues = issues.filter(year=int(year))
    else:
        year = ""
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = snapshots.public_issues(page.object_list)  # a page may come out one short
    query = f"year={year}&" if year else ""
    return render(request, "bulletins/issue_list.html", {"page": page, "years": years, "year": year, "query": query})


def _issue_for(request, year, number):
    """The issue and whether it is a preview; editors with the change permission also see unpublished ones."""
    issue = get_object_or_404(Issue.objects.select_related("snapshot"), year=year, number=number)
    preview = not issue.is_published
    if preview and not request.user.has_perm("bulletins.change_issue"):
        if issue.is_withdrawn_from_public:
            return issue, None
        raise Http404("没有找到这一期简报。")
    return issue, preview


def _withdrawn(request, issue):
    response = render(request, "410.html", {"issue": issue}, status=410)
    # A withdrawn issue may be reissued under the same URL: browsers must ask again.
    patch_cache_control(response, no_cache=True)
    return response


def _article_of(issue, preview):
    """The issue's rendered article: a live render for a preview, else its signed snapshot, or
    None when the snapshot is missing, does not match its hash, or is not the one the issue's
    sealed public state names (never served)."""
    if preview:
        return render_article(article_from_live(issue))
    return issue.snapshot if snapshots.serving_problem(issue) is None else None


def _neighbours(request, issue):
    """上一篇/下一篇, looked up once per stamp of the issue's pages: the stamp changes whenever they do
    (bulletins/signals.py), so the page itself needs only its numbers and the issue with its snapshot."""
    generation = current_generation(request)
    return cached_value(
        f"neighbours:{issue.year}/{issue.number}:{generation.stamp}",
        lambda: {"newer": issue.newer(), "older": issue.older()},
        generation=generation,
    )


def _render_issue(request, year, number, template, part):
    issue, preview = _issue_for(request, year, number)
    if preview is None:
        return _withdrawn(request, issue)
    article = _article_of(issue, preview)
    if article is None:
        return snapshots.unverified_response(request, issue)
    context = {
        "issue": issue,
        "article_html": mark_safe(getattr(article, part)),  # rendered by our templates, signed
        "preview": preview,
        "canonical_url": request.build_absolute_uri(issue.get_absolute_url()),
    }
    if not preview:
        context.update(_neighbours(request, issue))
    response = render(request, template, context)
    if preview:
        add_never_cache_headers(response)
    return response


def _issue_etag(request, year, number, kind):
    """The issue page's validator: its own stamp and the generation (bulletins/page_stamps.py)."""
    if not is_cacheable_request(request):
        return None
    return f'W/"{kind}-{year}-{number}-{current_generation(request).tag}"'


def _issue_last_modified(request, year, number):
    if not is_cacheable_request(request):
        return None
    return current_generation(request).changed_at


def _revalidate(view):
    """Browsers may keep an issue page but must ask again (a 304 when nothing changed)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 304) and is_cacheable_request(request):
            patch_cache_control(response, no_cache=True)
        return response

    return wrapper


@_revalidate
@condition(etag_func=lambda r, year, number: _issue_etag(r, year, number, "detail"), last_modified_func=_issue_last_modified)
@public_page(stamp=issue_page)
def issue_detail(request, year, number):
    return _render_issue(request, year, number, "bulletins/issue_detail.html", "detail_html")


@_revalidate
@condition(etag_func=lambda r, year, number: _issue_etag(r, year, number, "print"), last_modified_func=_issue_last_modified)
@public_page(stamp=issue_page)
def issue_print(request, year, number):
    return _render_issue(request, year, number, "bulletins/issue_print.html", "print_html")


@_revalidate
@condition(etag_func=lambda r, year, number: _issue_etag(r, year, number, "pdf"), last_modified_func=_issue_last_modified)
@public_page(stamp=issue_page)
def issue_pdf(request, year, number):
    issue, preview = _issue_for(request, year, number)
    if preview is None:
        return _withdrawn(request, issue)
    article = _article_of(issue, preview)
    if article is None:
        return snapshots.unverified_response(request, issue)
    try:
        if preview:
            data, kept = pdf.render_pdf(issue, print_html=article.print_html, preview=True), False
        else:
            data, kept = pdf.published_pdf(issue)
    except render_box.Refused as refusal:
        return _pdf_unavailable(request, issue, refusal)
    response = HttpResponse(data, content_type=pdf.MIME_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, pdf.filename(issue))
    if preview:
        add_never_cache_headers(response)
    elif not kept:  # a picture could not be read: this copy is served once, never stored
        patch_cache_control(response, no_store=True)
    return response


def _pdf_unavailable(request, issue, refusal):
    """503 for a PDF the render box refused: busy (try again soon) or over a limit (editors see which)."""
    response = render(request, "pdf_unavailable.html", {"issue": issue, "message": refusal.message}, status=503)
    response["Retry-After"] = str(render_box.RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _page_of(request, queryset, **keys):
    """A page of entries (or of links to entries) from the live rows, without those whose seal or
    whose issue's seal does not match (bulletins/snapshots.public_entries)."""
    page = Paginator(queryset, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = snapshots.public_entries(page.object_list, **keys)
    return page


def _published_entries(entries):
    return snapshots.with_issue_hash(
        entries.filter(issue__in=Issue.objects.published())
        .select_related("issue", "section")
        .order_by("-issue__year", "-issue__number", "section__order", "order", "id")
    )


@public_page(stamp=lambda slug: ("section", slug), params=("page",))
def section_entries(request, slug):
    section = get_object_or_404(Section.objects.public(), slug=slug)
    page = _page_of(request, _published_entries(section.entries.all()))
    return render(request, "bulletins/section.html", {"section": section, "page": page})


@public_page(stamp=lambda pk: ("person", pk), params=("page",))
def person_entries(request, pk):
    person = get_object_or_404(Person.objects.public(), pk=pk)
    mentions = snapshots.with_issue_hash(
        EntryPerson.objects.filter(person=person, entry__issue__in=Issue.objects.published())
        .select_related("entry__issue", "entry__section")
        .order_by("-entry__issue__year", "-entry__issue__number", "entry__section__order", "entry__order", "entry_id"),
        issue="entry__issue",
    )
    page = _page_of(request, mentions, entry_of=lambda mention: mention.entry)
    return render(request, "bulletins/person.html", {"person": person, "page": page})


@public_page(stamp=lambda pk: ("unit", pk), params=("page",))
def unit_entries(request, pk):
    unit = get_object_or_404(Unit.objects.public(), pk=pk)
    page = _page_of(request, _published_entries(unit.entries.all()))
    return render(request, "bulletins/unit.html", {"unit": unit, "page": page})


def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"), request)
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
