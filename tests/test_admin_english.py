"""No English a person reads: every role walks every admin page it can reach."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER

from .test_admin_access import ROWS, SUPERUSER, _user, _world

pytestmark = pytest.mark.django_db

# Common English words of interface text (Django's, its apps', ours when a string escapes translation).
ENGLISH = re.compile(
    r"(?<![A-Za-z0-9_@.-])(the|and|or|of|to|is|are|can|add|change|delete|view|status|save|search|filter|action|actions|"
    r"select|name|date|time|user|users|username|password|error|errors|please|enter|correct|yes|no|none|all|by|go|"
    r"today|now|history|home|login|log in|log out|logout|welcome|show|hide|clear|next|previous|page|results?|"
    r"total|object|field|required|invalid|unknown|attempt|attempts|failures|group|groups|permission|permissions|"
    r"staff|active|superuser|email|first|last|revision|version|comment|chosen|available|choose|remove|"
    r"note|case|sensitive|this|that|with|from|not|has|been|was|were|for|you|your|id)(?![A-Za-z0-9_@-])",
    re.IGNORECASE,
)

# "ID" as in the 对象ID column is ordinary Chinese usage.
ALLOWED_WORDS = {"id"}
# Stored data, not interface text: django-axes records a request without a User-Agent as "<unknown>".
ALLOWED_TEXTS = {"<unknown>"}

ATTRIBUTES = {"title", "placeholder", "alt", "aria-label"}


class VisibleText(HTMLParser):
    """The text a person sees or hears: element text and the attributes read out, without scripts."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.parts += [value for name, value in attrs.items() if name in ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def english_in(html):
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for text in parser.parts:
        if text not in ALLOWED_TEXTS and {match.lower() for match in ENGLISH.findall(text)} - ALLOWED_WORDS:
            found.add(text[:80])
    return found


def extra_pages(world):
    """Object pages the access table does not list: a sample object of each registered model."""
    return [
        f"/admin/bulletins/person/{world['person'].pk}/change/",
        f"/admin/bulletins/unit/{world['unit'].pk}/change/",
        f"/admin/bulletins/section/{world['section'].pk}/change/",
        f"/admin/bulletins/wordrule/{world['rule'].pk}/change/",
        f"/admin/auth/group/{world['group'].pk}/change/",
        f"/admin/axes/accessattempt/{world['attempt'].pk}/change/",
        f"/admin/accounts/user/{world['target'].pk}/change/",
        "/admin/accounts/auditevent/?q=nothing-matches",
        "/admin/bulletins/issue/?q=nothing-matches",
    ]


@pytest.mark.parametrize("role", [EDITOR, REVIEWER, SIGNER, ADMINISTRATOR, AUDITOR, SUPERUSER])
def test_every_admin_page_a_role_reaches_reads_in_chinese(role):
    user = _user(role)
    client = Client()
    client.force_login(user)
    world = _world(user)
    urls = [url(world) for method, _, url, _, allowed in ROWS if method == "GET" and role in allowed]
    offenders, walked = {}, 0
    for address in urls + extra_pages(world):
        response = client.get(address)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        words = english_in(response.content.decode())
        if words:
            offenders[address] = sorted(words)
    assert walked >= 3
    assert offenders == {}


def test_the_login_error_is_phrased_in_chinese(client):
    response = client.post("/admin/login/", {"username": "nobody", "password": "wrong-password"})
    html = response.content.decode()
    assert "用户名或密码不正确（区分大小写），请重新输入。" in html
    assert english_in(html) == set() and "用户名 和密码." not in html


def test_the_word_finder_sees_english_in_text_and_attributes_but_not_in_scripts_or_names():
    html = ('<p>Can change 期刊</p><a title="View on site">看</a><script>var all;</script>'
            '<td>staff12</td><td>editor@example.cn</td>')
    assert english_in(html) == {"Can change 期刊", "View on site"}


def test_no_permission_keeps_djangos_english_name():
    from django.contrib.auth.models import Permission

    assert Permission.objects.get(codename="change_issue").name == "修改期刊"
    assert list(Permission.objects.filter(name__startswith="Can ").values_list("name", flat=True)) == []


def test_lock_list_status_column_is_chinese(client):
    from axes.models import AccessAttempt

    client.force_login(_user(ADMINISTRATOR))
    AccessAttempt.objects.create(username="zhangsan", ip_address="10.1.1.1", failures_since_start=5)
    html = client.get("/admin/axes/accessattempt/").content.decode()
    assert "状态" in html and "Status" not in html
