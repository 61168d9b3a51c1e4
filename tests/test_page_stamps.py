"""A change to one issue forgets only the cached pages that show it (bulletins/signals.py, page_stamps.py)."""

import datetime

import pytest
from django.utils import timezone

from bulletins import workflow
from bulletins.models import Issue, PageStamp

from .factories import link_person, make_entry, make_issue, make_person, make_published_issue, make_staff, make_unit

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
START = timezone.now() - 30 * DAY


def _issue(number, *, section_name, person, unit, text, status=Issue.Status.PUBLISHED):
    issue = make_issue(number=number, status=status, dated_at=START + number * DAY,
                       published_at=START + number * DAY if status == Issue.Status.PUBLISHED else None)
    entry = make_entry(issue, section_name=section_name, body=f"<p>近日，{text}。</p>")
    link_person(entry, person, title_as_written="市委常委")
    entry.units.add(unit)
    return issue


@pytest.fixture
def archive():
    """Issues 1, 2, 3, 5, 6 public (in 领导活动, naming 陶斌 and 市残联; issue 2 also in 单位行动); issue 4
    awaiting sign-off in 单位行动, naming 高鹏凌 and 市交警支队. Issue 4's neighbours will be 3 and 5."""
    person, unit = make_person(name="陶斌"), make_unit(name="市残疾人联合会", short_names="市残联")
    for number in (1, 2, 3, 5, 6):
        _issue(number, section_name="领导活动", person=person, unit=unit, text=f"第{number}期的活动")
    make_entry(Issue.objects.get(number=2), section_name="单位行动", body="<p>近日，第2期的单位行动。</p>", order=1)
    other_person, other_unit = make_person(name="高鹏凌"), make_unit(name="市交警支队", short_names="")
    news = _issue(4, section_name="单位行动", person=other_person, unit=other_unit, text="巴州区开展文明交通劝导活动",
                  status=Issue.Status.AWAITING_SIGNOFF)
    return {"news": news, "person": person, "unit": unit, "other_person": other_person, "other_unit": other_unit}


def _untouched_pages(archive):
    """Pages that do not show issue 4 (and are not its neighbours)."""
    return ["/issues/2023/1/", "/issues/2023/2/", "/issues/2023/6/", "/issues/2023/1/print/", "/sections/leaders/",
            f"/people/{archive['person'].pk}/", f"/units/{archive['unit'].pk}/"]


def _pages_showing_it(archive):
    return ["/", "/issues/", "/feed/", "/feed/atom/", "/sitemap.xml", "/search/?q=文明交通劝导", "/issues/2023/3/",
            "/issues/2023/5/", "/sections/units/", f"/people/{archive['other_person'].pk}/",
            f"/units/{archive['other_unit'].pk}/"]


def _visit(client, urls):
    """Fill the cache; the pages of a person or unit named only in an unpublished issue answer 404."""
    for url in urls:
        assert client.get(url).status_code in (200, 404), url


def _publish(issue):
    workflow.publish(issue, by=make_staff("签发"), override_reason="测试")


def test_publishing_an_issue_keeps_every_page_that_does_not_show_it(client, archive, django_assert_num_queries):
    _visit(client, _untouched_pages(archive) + _pages_showing_it(archive))
    _publish(archive["news"])
    for url in _untouched_pages(archive):
        with django_assert_num_queries(1):  # the numbers, then the page from the cache: nothing rendered
            assert client.get(url).status_code == 200, url


def test_publishing_an_issue_shows_it_at_once_on_every_page_that_shows_it(client, archive):
    _visit(client, _untouched_pages(archive) + _pages_showing_it(archive))
    _publish(archive["news"])
    assert client.get("/issues/2023/4/").status_code == 200
    for url in _pages_showing_it(archive):
        body = client.get(url).content.decode()
        assert "/issues/2023/4/" in body or "(第4期)" in body, url


def test_withdrawing_an_issue_keeps_the_other_pages_and_takes_it_off_the_rest(client, archive, django_assert_num_queries):
    _publish(archive["news"])
    _visit(client, ["/issues/2023/4/", *_untouched_pages(archive), *_pages_showing_it(archive)])
    news = Issue.objects.get(pk=archive["news"].pk)
    workflow.withdraw(news, by=make_staff("签发"), reason="内容需核实。")
    assert client.get("/issues/2023/4/").status_code == 410
    for url in _pages_showing_it(archive):
        response = client.get(url)
        assert response.status_code in (200, 404), url  # the browse pages of a record no longer public: 404
        assert "/issues/2023/4/" not in response.content.decode(), url
    for url in _untouched_pages(archive):
        with django_assert_num_queries(1):
            client.get(url)


def test_correcting_an_entry_refreshes_its_issue_and_keeps_the_neighbours(client, archive, django_assert_num_queries):
    _visit(client, ["/issues/2023/3/", "/issues/2023/5/", "/sections/leaders/"])
    entry = Issue.objects.get(number=5).entries.get()
    entry.body = "<p>近日，更正后的内容。</p>"
    entry.save()
    assert "更正后的内容" in client.get("/issues/2023/5/").content.decode()
    assert "更正后的内容" in client.get("/sections/leaders/").content.decode()
    with django_assert_num_queries(1):
        client.get("/issues/2023/3/")


def test_a_new_title_reaches_the_neighbours_links(client, archive):
    _visit(client, ["/issues/2023/2/", "/issues/2023/6/"])
    issue = Issue.objects.get(number=3)
    issue.title = "改过的第三期标题"
    issue.save()
    assert "改过的第三期标题" in client.get("/issues/2023/2/").content.decode()
    assert "改过的第三期标题" not in client.get("/issues/2023/6/").content.decode()


def test_a_query_parameter_the_page_does_not_read_shares_its_entry(client, archive, django_assert_num_queries):
    client.get("/issues/2023/1/")
    client.get("/issues/?year=2023")
    with django_assert_num_queries(1):
        assert client.get("/issues/2023/1/?utm_source=weixin").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/issues/?utm_source=weixin&year=2023").status_code == 200


def test_a_query_parameter_the_page_reads_has_its_own_entry(client, archive):
    first = client.get("/issues/?year=2023").content.decode()
    assert "(第6期)" in first
    assert "(第6期)" not in client.get("/issues/?year=2022").content.decode()


def test_a_parameter_left_out_of_the_key_never_shows_on_the_page(client, archive):
    client.get("/issues/2023/1/?q=恶意文字")
    assert "恶意文字" not in client.get("/issues/2023/1/").content.decode()
    page = client.get("/search/?q=陶斌&utm_source=weixin").content.decode()
    assert "utm_source" not in page and 'value="陶斌"' in page


def test_a_page_is_stored_once(client, archive):
    from django.core.cache import cache

    cache.clear()
    client.get("/issues/2023/1/")
    pages = [key for key in cache._cache if ":public:page:" in key]
    assert len(pages) == 1


def test_stamps_are_written_in_the_transaction_of_the_change(archive):
    before = PageStamp.objects.filter(scope="issue", key="2023/3").values_list("number", flat=True).first()
    with pytest.raises(RuntimeError), __import__("django.db").db.transaction.atomic():
        _publish(archive["news"])
        raise RuntimeError("rolled back")
    assert PageStamp.objects.filter(scope="issue", key="2023/3").values_list("number", flat=True).first() == before


def test_a_new_section_in_the_navigation_reaches_every_page(client, archive):
    client.get("/issues/2023/1/")
    issue = make_published_issue(number=9, dated_at=START + 9 * DAY)
    make_entry(issue, section_name="他山之石", body="<p>近日，外地经验。</p>")
    assert "/sections/elsewhere/" in client.get("/issues/2023/1/").content.decode()


def test_an_imported_published_issue_reaches_the_pages_of_the_people_it_names(client, archive):
    from bulletins.importer import parse_text
    from bulletins.importer.writer import import_issue

    from .samples import small_issue

    url = f"/people/{archive['person'].pk}/"
    assert "2024年" not in client.get(url).content.decode()
    import_issue(parse_text(small_issue(year=2024, number=1)), status=Issue.Status.PUBLISHED)
    assert "/issues/2024/1/" in client.get(url).content.decode()


@pytest.mark.parametrize("unlink", ["entry side", "person side"])
def test_unlinking_a_person_forgets_their_page_once(archive, monkeypatch, unlink):
    from bulletins import signals

    entry = Issue.objects.get(number=1).entries.get()
    person = archive["person"]
    before = PageStamp.objects.get(scope="person", key=str(person.pk)).number
    calls = []
    bump = signals.bump_pages
    monkeypatch.setattr(signals, "bump_pages", lambda pages: calls.append(set(pages)) or bump(pages))
    if unlink == "entry side":
        entry.people.remove(person)
    else:
        person.entries.clear()
    assert PageStamp.objects.get(scope="person", key=str(person.pk)).number != before
    assert len(calls) == (1 if unlink == "entry side" else 5)  # one per EntryPerson row: issues 1, 2, 3, 5, 6
