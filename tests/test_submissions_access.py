"""The portal × every role: only a correspondent enters, and only their own unit's submissions."""

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER

from .factories import make_correspondent, make_staff, make_submission

pytestmark = pytest.mark.django_db

STAFF = [EDITOR, REVIEWER, SIGNER, ADMINISTRATOR, AUDITOR, "超级用户"]

# (method, URL from the correspondent's own draft)
PORTAL_URLS = [
    ("GET", lambda s: "/portal/"),
    ("GET", lambda s: "/portal/new/"),
    ("GET", lambda s: f"/portal/{s.pk}/"),
    ("GET", lambda s: f"/portal/{s.pk}/edit/"),
    ("POST", lambda s: f"/portal/{s.pk}/submit/"),
]
OBJECT_URLS = PORTAL_URLS[2:]


def _staff(role):
    if role == "超级用户":
        return User.objects.create_superuser(f"root{User.objects.count()}", password="Root-Secret-2026")
    return make_staff(role)


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url)


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize(("method", "url"), PORTAL_URLS)
def test_staff_are_refused_every_portal_url(role, method, url):
    submission = make_submission(make_correspondent())
    client = Client()
    client.force_login(_staff(role))
    assert _request(client, method, url(submission)).status_code == 403
    submission.refresh_from_db()
    assert submission.state == "draft"


@pytest.mark.parametrize(("method", "url"), PORTAL_URLS)
def test_anonymous_visitors_are_sent_to_the_portal_login(method, url):
    submission = make_submission(make_correspondent())
    response = _request(Client(), method, url(submission))
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


@pytest.mark.parametrize(("method", "url"), PORTAL_URLS)
def test_the_correspondent_reaches_every_portal_url_for_their_own_unit(method, url):
    correspondent = make_correspondent()
    client = Client()
    client.force_login(correspondent)
    assert _request(client, method, url(make_submission(correspondent))).status_code in (200, 302)


@pytest.mark.parametrize(("method", "url"), OBJECT_URLS)
def test_another_units_correspondent_finds_nothing(method, url):
    submission = make_submission(make_correspondent())
    client = Client()
    client.force_login(make_correspondent())
    assert _request(client, method, url(submission)).status_code == 404
    submission.refresh_from_db()
    assert submission.state == "draft"


def test_a_deactivated_correspondent_is_out():
    correspondent = make_correspondent()
    correspondent.is_active = False
    correspondent.save()
    client = Client()
    client.force_login(correspondent)
    assert client.get("/portal/").status_code in (302, 403)


def test_the_correspondent_sees_nothing_of_the_public_sites_drafts_or_admin():
    client = Client()
    client.force_login(make_correspondent())
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/admin/login/")
