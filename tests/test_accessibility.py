import pytest

from bulletins.models import Person, Unit

from .browser import BASE_URL, page, set_prefs  # noqa: F401  (fixtures)
from .factories import make_published_issue, make_sample_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def site():
    make_published_issue(year=2023, number=12)
    make_sample_issue(year=2023, number=13)
    return BASE_URL


def _pages():
    person = Person.objects.get(name="陶斌")
    unit = Unit.objects.get(name="市残疾人联合会")
    return {
        "home": "/",
        "list": "/issues/",
        "detail": "/issues/2023/13/",
        "print": "/issues/2023/13/print/",
        "section": "/sections/leaders/",
        "person": f"/people/{person.pk}/",
        "unit": f"/units/{unit.pk}/",
        "not-found": "/no-such-page/",
    }


def _blocking_violations(axe, page):
    results = axe.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("senior", [False, True], ids=["normal", "senior"])
def test_public_pages_have_no_serious_axe_violations(page, site, axe, senior):  # noqa: F811
    set_prefs(page, senior=senior)
    found = {}
    for name, path in _pages().items():
        page.goto(site + path)
        assert ("senior" in page.evaluate("document.documentElement.className")) == senior
        if violations := _blocking_violations(axe, page):
            found[name] = violations
    assert found == {}


@pytest.mark.parametrize("senior", [False, True], ids=["normal", "senior"])
def test_search_page_has_no_serious_axe_violations(page, site, axe, senior):  # noqa: F811
    set_prefs(page, senior=senior)
    found = {}
    for path in ("/search/?q=植树", "/search/?q=植树&year=1999", "/search/?q=%3Cscript%3E", "/search/"):
        response = page.goto(site + path)
        assert response.status == 200, path
        assert ("senior" in page.evaluate("document.documentElement.className")) == senior
        if violations := _blocking_violations(axe, page):
            found[path] = violations
    assert found == {}


def test_search_page_highlights_the_word_in_the_results(page, site):  # noqa: F811
    page.goto(site + "/search/?q=植树")
    assert page.locator(".result").count() >= 1
    assert page.locator(".snippet mark").first.inner_text() == "植树"
