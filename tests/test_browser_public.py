from pathlib import Path

import pytest

from .browser import BASE_URL, new_page, page, set_prefs  # noqa: F401  (fixtures)
from .factories import make_entry, make_published_issue, make_sample_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def site():
    make_published_issue(year=2023, number=12)
    issue = make_sample_issue(year=2023, number=13)
    make_entry(issue, section_name="他山之石", order=99,
               body="<p>" + "湘潭市“文明直通车”热线平台受理群众对于深化全国文明城市创建的建议、意见和投诉。" * 4 + "</p>")
    return BASE_URL


def _scroll_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_font_size_and_senior_mode_survive_a_reload(page, site):
    page.goto(site + "/issues/2023/13/")
    normal_size = page.locator(".issue-body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.get_by_role("button", name="大", exact=True).click()
    page.locator(".page-tools").get_by_role("button", name="适老化模式").click()
    page.reload()
    classes = page.evaluate("document.documentElement.className")
    assert "font-l" in classes and "senior" in classes
    large_size = page.locator(".issue-body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert large_size > normal_size * 1.4
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"


def test_preferences_carry_over_to_other_pages(page, site):
    page.goto(site + "/issues/2023/13/")
    page.locator(".page-tools").get_by_role("button", name="适老化模式").click()
    page.goto(site + "/issues/")
    assert "senior" in page.evaluate("document.documentElement.className")
    assert page.locator(".senior-toggle").get_attribute("aria-pressed") == "true"


def test_wide_reading_widens_the_text_column(page, site):
    page.goto(site + "/issues/2023/13/")
    narrow = page.locator("article.issue").bounding_box()["width"]
    page.get_by_role("button", name="宽屏阅读").click()
    wide = page.locator("article.issue").bounding_box()["width"]
    assert wide > narrow * 1.3


@pytest.mark.parametrize("senior", [False, True], ids=["normal", "senior"])
def test_no_horizontal_scroll_on_a_360px_phone(browser, site, senior):  # noqa: F811
    context, page = new_page(browser, viewport={"width": 360, "height": 740})
    set_prefs(page, senior=senior, font="l" if senior else "m")
    for path in ("/", "/issues/", "/issues/2023/13/", "/issues/2023/13/print/", "/sections/leaders/", "/search/?q=植树"):
        page.goto(site + path)
        assert _scroll_overflow(page) <= 0, path
    context.close()


def test_print_view_shows_the_masthead(page, site):
    page.goto(site + "/issues/2023/13/print/")
    masthead = page.locator(".masthead-title")
    assert masthead.is_visible() and masthead.inner_text() == "文明城市创建"
    assert masthead.evaluate("e => getComputedStyle(e).color") == "rgb(192, 0, 0)"
    ARTIFACTS.mkdir(exist_ok=True)
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert masthead.is_visible()
    page.screenshot(path=str(ARTIFACTS / "print.png"), full_page=True)
    assert (ARTIFACTS / "print.png").stat().st_size > 10_000


def test_print_button_is_shown_with_javascript_and_hidden_without(browser, site):  # noqa: F811
    context, page = new_page(browser, java_script_enabled=False)
    page.goto(site + "/issues/2023/13/print/")
    assert not page.locator("[data-action=print]").is_visible()
    assert page.get_by_text("Ctrl+P").is_visible()
    context.close()


def test_reading_tools_are_hidden_without_javascript_but_print_link_works(browser, site):  # noqa: F811
    context, page = new_page(browser, java_script_enabled=False)
    page.goto(site + "/issues/2023/13/")
    assert not page.get_by_role("button", name="宽屏阅读").is_visible()
    page.get_by_role("link", name="打印文本").click()
    assert page.url.endswith("/issues/2023/13/print/")
    context.close()


def test_tab_reaches_the_skip_link_first_and_it_moves_to_main(page, site):
    page.goto(site + "/issues/2023/13/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "跳到正文"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"
