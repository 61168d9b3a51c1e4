"""Every admin page the parts added works under the admin CSP, and the public pages under the
strict one: Chromium reports no Content-Security-Policy violation and no script error."""

import pytest
import reversion
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, SIGNER
from bulletins.models import Issue, Person, Unit, WordRule
from bulletins.revisions import save_revision

from .browser import BASE_URL, new_page  # noqa: F401  (fixtures)
from .factories import make_audit_event, make_issue, make_sample_issue, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture
def site():
    published = make_sample_issue(year=2023, number=13)
    draft = make_issue(year=2023, number=14, title="2023年文明城市创建(第14期)")
    editor = make_staff(EDITOR, username="editor")
    with reversion.create_revision(manage_manually=True):
        save_revision(draft, user=editor, comment="新建")
    make_staff(SIGNER, username="signer")
    administrator = make_staff(ADMINISTRATOR, username="sysadmin")
    make_staff(AUDITOR, username="auditor")
    WordRule.objects.create(wrong="创文工作", right="创建工作")
    event = make_audit_event()
    return {"published": published, "draft": draft, "editor": editor, "administrator": administrator,
            "event": event}


def _admin_pages(site):
    draft, published = site["draft"].pk, site["published"].pk
    return {
        "editor": [
            "/admin/", "/admin/bulletins/issue/", "/admin/bulletins/issue/add/",
            f"/admin/bulletins/issue/{draft}/change/", f"/admin/bulletins/issue/{draft}/proofread/",
            f"/admin/bulletins/issue/{draft}/history/", "/admin/overview/", "/admin/bulletins/issue/import/",
            "/admin/bulletins/entry/add/", "/admin/bulletins/entryimage/", "/admin/bulletins/entryimage/add/",
            "/admin/bulletins/entryimage/browse/", "/admin/bulletins/wordrule/", "/admin/bulletins/person/add/",
            "/admin/profile/", "/admin/password_change/",
        ],
        "signer": [
            f"/admin/bulletins/issue/{published}/change/", f"/admin/bulletins/issue/{published}/history/",
            "/admin/bulletins/wordrule/add/", "/admin/bulletins/sitesettings/1/change/",
        ],
        "sysadmin": [
            "/admin/accounts/user/", "/admin/accounts/user/add/",
            f"/admin/accounts/user/{site['editor'].pk}/change/",
            f"/admin/accounts/user/{site['editor'].pk}/reset-password/",
            f"/admin/accounts/user/{site['editor'].pk}/unlock/", "/admin/axes/accessattempt/",
        ],
        "auditor": ["/admin/accounts/auditevent/", f"/admin/accounts/auditevent/{site['event'].pk}/change/"],
    }


def _visit(browser, urls, *, user=None):  # noqa: F811
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    context, page = new_page(browser, client)
    problems = []
    page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    try:
        statuses = {}
        for url in urls:
            response = page.goto(BASE_URL + url)
            page.wait_for_load_state("load")
            statuses[url] = response.status
        return statuses, problems
    finally:
        context.close()


@pytest.mark.parametrize("username", ["editor", "signer", "sysadmin", "auditor"])
def test_admin_pages_run_under_the_admin_policy_without_violations(browser, site, username):  # noqa: F811
    user = User.objects.get(username=username)
    statuses, problems = _visit(browser, _admin_pages(site)[username], user=user)
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert problems == []


def test_public_pages_run_under_the_strict_policy_without_violations(browser, site):  # noqa: F811
    person = Person.objects.get(name="陶斌")
    unit = Unit.objects.get(name="市残疾人联合会")
    urls = ["/", "/issues/", "/issues/2023/13/", "/issues/2023/13/print/", "/sections/leaders/",
            f"/people/{person.pk}/", f"/units/{unit.pk}/", "/search/?q=植树", "/no-such-page/"]
    statuses, problems = _visit(browser, urls)
    assert statuses["/issues/2023/13/"] == 200 and Issue.objects.published().count() == 1
    assert problems == []
