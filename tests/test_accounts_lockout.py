"""Login-failure handling: the username + address lock, the per-address limit, unlocking."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accounts import operations
from accounts.roles import ADMINISTRATOR, EDITOR

from .factories import STRONG_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

OFFICE = "10.1.1.1"
ATTACKER = "203.0.113.9"


def attempt(client, username, password, address=OFFICE, **headers):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def fail(client, username, times, address=OFFICE, **headers):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", address, **headers)
    return response


def logs_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_four_failures_do_not_lock(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 4)
    assert logs_in(attempt(client, user.username, STRONG_PASSWORD))


def test_fifth_failure_shows_the_lockout_page(client):
    user = make_staff(EDITOR)
    response = fail(client, user.username, 5)
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()


def test_right_password_is_refused_during_the_lock(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5)
    response = attempt(client, user.username, STRONG_PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in client.session


def test_lockout_page_says_until_when(client):
    user = make_staff(EDITOR)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC), tick=False):
        response = fail(client, user.username, 5)
    # 01:00 UTC is 09:00 in Asia/Shanghai; the lock lasts 30 minutes.
    assert "2026年3月2日 09:30" in response.content.decode()


def test_lock_ends_after_the_cool_off_time(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert logs_in(attempt(client, user.username, STRONG_PASSWORD))


def test_lock_holds_the_same_username_from_the_same_address_only(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5, address=OFFICE)
    assert logs_in(attempt(client, user.username, STRONG_PASSWORD, address="10.2.2.2"))


def test_colleague_behind_the_same_address_is_not_locked_by_anothers_typos(client):
    typist, colleague = make_staff(EDITOR), make_staff(EDITOR)
    fail(client, typist.username, 5)
    assert logs_in(attempt(client, colleague.username, STRONG_PASSWORD))


def test_per_address_limit_catches_username_cycling(client, settings):
    user = make_staff(EDITOR)
    for n in range(settings.WENMING_IP_FAILURE_LIMIT):
        attempt(client, f"guess{n}", "wrong-password", ATTACKER)
    response = attempt(client, user.username, STRONG_PASSWORD, ATTACKER)
    assert response.status_code == 429


def test_forged_forwarded_for_does_not_escape_the_lock(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5, address=ATTACKER)
    response = attempt(client, user.username, STRONG_PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_forged_forwarded_for_does_not_spread_failures_over_addresses(client):
    user = make_staff(EDITOR)
    for n in range(5):
        attempt(client, user.username, "wrong-password", ATTACKER, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert attempt(client, user.username, STRONG_PASSWORD, ATTACKER).status_code == 429


def test_administrator_unlock_lets_the_user_log_in_again(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5)
    operations.unlock(user, by=make_staff(ADMINISTRATOR))
    assert logs_in(attempt(client, user.username, STRONG_PASSWORD))


def test_administrator_unlocks_from_the_account_page(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5)
    admin_client = client.__class__()
    admin_client.force_login(make_staff(ADMINISTRATOR))
    admin_client.post(f"/admin/accounts/user/{user.pk}/unlock/")
    assert logs_in(attempt(client, user.username, STRONG_PASSWORD))


def test_administrator_unlocks_with_the_list_action(client):
    user = make_staff(EDITOR)
    fail(client, user.username, 5)
    admin_client = client.__class__()
    admin_client.force_login(make_staff(ADMINISTRATOR))
    admin_client.post("/admin/accounts/user/", {"action": "unlock_selected", "_selected_action": [user.pk]})
    assert logs_in(attempt(client, user.username, STRONG_PASSWORD))


def test_lockout_page_names_the_address_when_the_address_is_locked(client, settings):
    for n in range(settings.WENMING_IP_FAILURE_LIMIT):
        response = attempt(client, f"guess{n}", "wrong-password", ATTACKER)
    assert "本地址登录失败次数过多" in response.content.decode()
