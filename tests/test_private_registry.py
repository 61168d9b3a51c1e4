"""The registry is private: only what an entry of a published issue names reaches the public site."""

import pytest

from bulletins.models import Person, Section, Unit

from .factories import link_person, make_entry, make_issue, make_person, make_published_issue, make_unit, section

pytestmark = pytest.mark.django_db

SECRET_TITLE = "拟任副市长（未公开）"
SECRET_NOTE = "内部备注：待组织部确认"


@pytest.fixture
def draft_only():
    """A person, a unit and a section that only a draft names."""
    Section.objects.create(name="内部栏目", slug="internal", order=99)
    entry = make_entry(make_issue(), section_name="内部栏目")
    person = make_person(name="赵六", title=SECRET_TITLE, note=SECRET_NOTE)
    link_person(entry, person, title_as_written=SECRET_TITLE)
    unit = make_unit(name="拟组建单位", short_names="")
    entry.units.add(unit)
    return person, unit


def test_a_person_only_a_draft_names_is_not_found(client, draft_only):
    person, _ = draft_only
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_a_person_in_the_registry_only_is_not_found(client):
    assert client.get(f"/people/{make_person().pk}/").status_code == 404


def test_a_unit_only_a_draft_names_is_not_found(client, draft_only):
    _, unit = draft_only
    assert client.get(f"/units/{unit.pk}/").status_code == 404


def test_a_section_only_a_draft_uses_is_not_found_and_not_in_the_navigation(client, draft_only):
    assert client.get("/sections/internal/").status_code == 404
    assert "内部栏目" not in client.get("/").content.decode()


def test_a_scheduled_issue_does_not_make_its_person_public(client, tomorrow):
    person = make_person(name="赵六")
    link_person(make_entry(make_published_issue(published_at=tomorrow)), person)
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_a_withdrawn_issue_no_longer_makes_its_person_public(client):
    person = make_person(name="赵六")
    issue = make_published_issue()
    link_person(make_entry(issue), person)
    assert client.get(f"/people/{person.pk}/").status_code == 200
    issue.status = issue.Status.WITHDRAWN
    issue.save()
    from bulletins.public_cache import bump_generation

    bump_generation()
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_published_person_unit_and_section_are_shown(client):
    entry = make_entry(make_published_issue(), section_name="单位行动")
    person, unit = make_person(name="陶斌"), make_unit()
    link_person(entry, person, title_as_written="市委常委、宣传部部长")
    entry.units.add(unit)
    assert [client.get(url).status_code for url in (f"/people/{person.pk}/", f"/units/{unit.pk}/",
                                                     f"{section('单位行动').get_absolute_url()}")] == [200, 200, 200]


def test_person_page_shows_titles_as_written_never_the_registry_title_or_note(client):
    person = make_person(name="陶斌", title=SECRET_TITLE, note=SECRET_NOTE)
    link_person(make_entry(make_published_issue()), person, title_as_written="市委常委、宣传部部长")
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "市委常委、宣传部部长" in html
    assert SECRET_TITLE not in html and SECRET_NOTE not in html


def test_search_offers_only_published_names_and_no_registry_titles(client, draft_only):
    shown = make_person(name="陶斌", title=SECRET_TITLE)
    link_person(make_entry(make_published_issue()), shown, title_as_written="市委常委")
    html = client.get("/search/?q=创文").content.decode()
    assert "陶斌" in html
    assert "赵六" not in html and "拟组建单位" not in html and "内部栏目" not in html and SECRET_TITLE not in html


def test_public_querysets_are_one_query_each(django_assert_num_queries, draft_only):
    with django_assert_num_queries(3):
        assert (list(Person.objects.public()), list(Unit.objects.public()), list(Section.objects.public())) == (
            [], [], [])
