"""Who may do what: each role × create account, reset password, read audit, unlock, publish."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, ROLE_PERMISSIONS, SIGNER

from .factories import make_staff

pytestmark = pytest.mark.django_db

CAPABILITIES = {
    "create_account": "accounts.add_user",
    "reset_password": "accounts.reset_password_user",
    "read_audit": "accounts.view_auditevent",
    "unlock": "accounts.unlock_user",
    "publish": "bulletins.sign_issue",
}

MATRIX = {
    EDITOR: set(),
    REVIEWER: set(),
    SIGNER: {"publish"},
    ADMINISTRATOR: {"create_account", "reset_password", "unlock"},
    AUDITOR: {"read_audit"},
}


@pytest.mark.parametrize("role", list(MATRIX))
@pytest.mark.parametrize("capability", list(CAPABILITIES))
def test_role_holds_exactly_its_capabilities(role, capability):
    user = make_staff(role)
    assert user.has_perm(CAPABILITIES[capability]) is (capability in MATRIX[role])


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_every_listed_permission_exists_and_is_granted(role):
    granted = {
        f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()
    }
    assert granted == set(ROLE_PERMISSIONS[role])


def test_administrator_cannot_open_the_audit_log(client):
    client.force_login(make_staff(ADMINISTRATOR))
    assert client.get("/admin/accounts/auditevent/").status_code == 403


def test_auditor_cannot_open_the_account_list(client):
    client.force_login(make_staff(AUDITOR))
    assert client.get("/admin/accounts/user/").status_code == 403


def test_auditor_cannot_open_the_add_account_page(client):
    client.force_login(make_staff(AUDITOR))
    assert client.get("/admin/accounts/user/add/").status_code == 403


def test_editor_cannot_reset_a_password(client):
    target = make_staff(EDITOR)
    client.force_login(make_staff(EDITOR))
    assert client.post(f"/admin/accounts/user/{target.pk}/reset-password/").status_code == 403


def test_auditor_cannot_unlock_an_account(client):
    target = make_staff(EDITOR)
    client.force_login(make_staff(AUDITOR))
    assert client.post(f"/admin/accounts/user/{target.pk}/unlock/").status_code == 403


def test_administrator_can_open_the_account_list(client):
    client.force_login(make_staff(ADMINISTRATOR))
    assert client.get("/admin/accounts/user/").status_code == 200


def test_auditor_can_open_the_audit_log(client):
    client.force_login(make_staff(AUDITOR))
    assert client.get("/admin/accounts/auditevent/").status_code == 200
