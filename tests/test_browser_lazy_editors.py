"""The issue page with 13 entries starts an entry's CKEditor only when the body is reached, and
loses nothing: an edit in a late editor is saved, an untouched body stays byte for byte, leaving
after an edit asks first, a workflow button saves the edit, a new entry row gets its editor."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Entry, Issue

from .browser import BASE_URL, new_page
from .factories import make_entry, make_issue, make_staff, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ENTRIES = 13
SECTIONS = ["领导活动", "单位行动", "一线经验"]


def body(number):
    # Two paragraphs and the line breaks CKEditor writes between them: a browser posts them as CR LF.
    return (f"<p>第{number}条：近日，市创文办组织检查背街小巷环境卫生，<strong>督促整改</strong>。</p>\n\n"
            f"<p>检查组共走访{number}个小区。</p>")


@pytest.fixture
def issue():
    issue = make_issue(year=2026, number=13, title="2026年文明城市创建(第13期)", source="市创文办")
    for index in range(ENTRIES):
        make_entry(issue, section_name=SECTIONS[index * len(SECTIONS) // ENTRIES], body=body(index + 1), order=index)
    return issue


@pytest.fixture
def editor_page(browser, issue):
    client = Client()
    client.force_login(make_staff("编辑", username="editor"))
    context, page = new_page(browser, client)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.console = console
    page.goto(BASE_URL + reverse("admin:bulletins_issue_change", args=[issue.pk]))
    yield page
    context.close()


def wait_until(page, expression, timeout=20.0):
    """Poll `expression` in the page (page.wait_for_function would need 'unsafe-eval', which the admin CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout:.0f} s: {expression}")
        time.sleep(0.05)


def after_two_frames(page):
    """Return once the page has drawn twice: intersection observers have seen the first layout."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


def after_jquery_ready(page):
    """Return once django.jQuery's ready handlers queued so far (autocomplete.js's start) have run."""
    page.evaluate("new Promise(done => django.jQuery(() => setTimeout(() => done(true))))")


def ready(index):
    return (f"!!(window.CKEDITOR && CKEDITOR.instances['id_entries-{index}-body'] && "
            f"CKEDITOR.instances['id_entries-{index}-body'].status === 'ready')")


def started_editors(page):
    return page.evaluate("window.CKEDITOR ? Object.keys(CKEDITOR.instances).sort() : []")


def preview(page, index):
    return page.locator(f"#id_entries-{index}-body").locator("xpath=..").locator(".lazy-editor-preview")


def settle(page):
    """Load done and every editor started so far ready."""
    page.wait_for_load_state("load")
    after_two_frames(page)  # the editors the first layout shows have been asked to start
    wait_until(page, "Object.values(window.CKEDITOR ? CKEDITOR.instances : {}).every(e => e.status === 'ready')")


def type_in(page, index, text):
    """Scroll to the body (which starts its editor), click into it and type at its end."""
    page.locator(f"#id_entries-{index}-body").locator("xpath=..").scroll_into_view_if_needed()
    wait_until(page, ready(index))
    page.frame_locator(f"#cke_id_entries-{index}-body iframe").locator("body").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def save(page):
    page.get_by_role("button", name="保存并继续编辑").click()
    page.locator(".messagelist .success").first.wait_for()


def test_the_page_shows_every_body_at_once_and_starts_at_most_two_editors(editor_page):
    settle(editor_page)
    assert len(started_editors(editor_page)) <= 2
    last = preview(editor_page, ENTRIES - 1)
    assert "第13条：近日，市创文办组织检查背街小巷环境卫生，督促整改。" in last.inner_text()
    assert last.get_attribute("aria-label") == "条目正文（第13条）"
    assert not [message for message in editor_page.console if "Content Security Policy" in message]


def test_an_editor_further_down_starts_when_scrolled_into_view(editor_page):
    settle(editor_page)
    assert "id_entries-9-body" not in started_editors(editor_page)
    preview(editor_page, 9).scroll_into_view_if_needed()
    wait_until(editor_page, ready(9))
    assert not preview(editor_page, 9).is_visible()
    assert "第10条" in editor_page.frame_locator("#cke_id_entries-9-body iframe").locator("body").inner_text()


def test_focusing_a_body_starts_its_editor_with_the_caret_in_it(editor_page):
    settle(editor_page)
    preview(editor_page, 11).focus()
    wait_until(editor_page, ready(11))
    wait_until(editor_page, "CKEDITOR.instances['id_entries-11-body'].focusManager.hasFocus")


def test_an_edit_in_a_late_editor_is_saved_and_every_untouched_body_stays_byte_for_byte(editor_page, issue):
    before = dict(issue.entries.values_list("pk", "body"))
    settle(editor_page)
    type_in(editor_page, 10, "另有3个小区限期整改。")
    preview(editor_page, 6).scroll_into_view_if_needed()  # started, not edited
    wait_until(editor_page, ready(6))
    save(editor_page)

    after = dict(issue.entries.values_list("pk", "body"))
    edited = issue.entries.get(order=10)
    assert "另有3个小区限期整改。" in after[edited.pk]
    assert {pk: text for pk, text in after.items() if pk != edited.pk} == {
        pk: text for pk, text in before.items() if pk != edited.pk}


def leave(page):
    """Click the site name; the dialogs the browser showed before leaving (dismissed: the page stays)."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.locator("#site-name a").click(no_wait_after=True)
    deadline = time.monotonic() + 5
    while not dialogs and "/change/" in page.url and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return dialogs


def test_leaving_after_an_edit_in_a_late_editor_asks_first(editor_page):
    settle(editor_page)
    type_in(editor_page, 8, "补充一句。")
    assert leave(editor_page) == ["beforeunload"]
    assert "/change/" in editor_page.url


def test_editors_started_by_scrolling_alone_are_not_unsaved_edits(editor_page):
    settle(editor_page)
    editor_page.locator("#id_entries-8-body").locator("xpath=..").scroll_into_view_if_needed()
    wait_until(editor_page, ready(8))
    editor_page.locator("#id_entries-9-body").locator("xpath=..").click()  # user activation, no edit
    assert leave(editor_page) == []
    editor_page.wait_for_url(BASE_URL + "/admin/")


def test_a_workflow_button_after_an_edit_in_a_late_editor_saves_it_then_submits(editor_page, issue):
    untouched = issue.entries.get(order=3)
    settle(editor_page)
    type_in(editor_page, 12, "已全部整改到位。")
    editor_page.get_by_role("button", name="提交审核").click()
    editor_page.locator(".workflow-status").get_by_text("待审核").wait_for()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.IN_REVIEW
    assert "已全部整改到位。" in issue.entries.get(order=12).body
    assert Entry.objects.get(pk=untouched.pk).body == untouched.body


def test_a_new_entry_row_gets_its_editor_and_is_saved(editor_page, issue):
    settle(editor_page)
    editor_page.get_by_role("button", name="添加另一个 条目").click()
    row = ENTRIES
    editor_page.locator(f"#id_entries-{row}-section").select_option(label="单位行动")
    editor_page.locator(f"#id_entries-{row}-order").fill("20")
    type_in(editor_page, row, "新增一条：市文明办开展志愿服务活动。")
    save(editor_page)
    assert "新增一条：市文明办开展志愿服务活动。" in issue.entries.get(order=20).body
    assert issue.entries.count() == ENTRIES + 1


def started_unit_fields(page):
    return page.evaluate("[...document.querySelectorAll('select[name$=-units]')]"
                         ".filter(s => s.classList.contains('select2-hidden-accessible')).map(s => s.name)")


def test_unit_fields_start_their_autocomplete_when_reached_and_a_unit_can_be_chosen(editor_page, issue):
    make_unit(name="市残疾人联合会", short_names="市残联")
    settle(editor_page)
    started = started_unit_fields(editor_page)
    assert "entries-11-units" not in started and len(started) < ENTRIES
    # select2 is loaded with the first field started, not with the page.
    loaded = editor_page.evaluate("performance.getEntriesByType('resource').map((r) => r.name).join(' ')")
    assert ("select2" in loaded) == bool(started)
    editor_page.locator("#id_entries-9-units").scroll_into_view_if_needed()
    wait_until(editor_page, "document.getElementById('id_entries-9-units').classList.contains('admin-autocomplete')")
    # A field pressed before its turn starts at once, open; choosing a unit and saving keeps it.
    editor_page.evaluate("document.getElementById('id_entries-11-units').dispatchEvent("
                         "new MouseEvent('mousedown', {bubbles: true, cancelable: true}))")
    editor_page.locator(".select2-container--open .select2-search__field").fill("残联")
    editor_page.locator(".select2-results__option", has_text="市残疾人联合会").click()
    save(editor_page)
    assert list(issue.entries.get(order=11).units.values_list("name", flat=True)) == ["市残疾人联合会"]
    assert editor_page.locator("#id_entries-11-units option:checked").inner_text() == "市残疾人联合会"
    assert not [message for message in editor_page.console if "Content Security Policy" in message]


RESTARTS = """
window.restartedUnitFields = [];
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.tagName === "SELECT" && (record.oldValue || "").includes("select2-hidden-accessible")
        && !record.target.classList.contains("select2-hidden-accessible")) {
      window.restartedUnitFields.push(record.target.name)
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["class"], attributeOldValue: true})
"""


def unit_page(browser, issue, *, fail_select2=False):
    client = Client()
    client.force_login(make_staff("编辑", username="unit-editor"))
    context, page = new_page(browser, client)
    page.add_init_script(RESTARTS)
    if fail_select2:
        page.route("**/select2.full*.js", lambda route: route.abort())
    page.goto(BASE_URL + reverse("admin:bulletins_issue_change", args=[issue.pk]))
    settle(page)
    return context, page


def press_units(page, index):
    page.evaluate(f"document.getElementById('id_entries-{index}-units').dispatchEvent("
                  "new MouseEvent('mousedown', {bubbles: true, cancelable: true}))")


def test_a_unit_field_pressed_first_opens_and_is_started_once(browser, issue):
    context, page = unit_page(browser, issue)
    press_units(page, 12)
    page.locator(".select2-container--open .select2-search__field").wait_for()
    after_jquery_ready(page)  # autocomplete.js's own start, queued for jQuery's ready, has run by now
    assert page.evaluate("window.restartedUnitFields") == []
    assert page.locator(".select2-container--open .select2-search__field").count() == 1  # still open
    context.close()


def test_a_unit_field_whose_scripts_fail_says_so_and_starts_when_pressed_again(browser, issue):
    context, page = unit_page(browser, issue, fail_select2=True)
    press_units(page, 12)
    note = page.locator("#id_entries-12-units ~ .lazy-autocomplete-error")
    note.wait_for()
    assert "无法载入单位选择框" in note.inner_text() and "请检查网络后再点一次此框" in note.inner_text()
    page.unroute("**/select2.full*.js")
    press_units(page, 12)
    page.locator(".select2-container--open .select2-search__field").wait_for()
    assert note.count() == 0
    context.close()
