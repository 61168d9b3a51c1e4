"""Sessions: idle timeout, logout on the server, cookie flags."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from accounts.roles import EDITOR

from .factories import STRONG_PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def log_in(client, user):
    response = client.post("/admin/login/", {"username": user.username, "password": STRONG_PASSWORD})
    assert response.status_code == 302
    return response


def test_session_survives_29_idle_minutes(client):
    log_in(client, make_staff(EDITOR))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29)):
        assert client.get("/admin/").status_code == 200


def test_session_ends_after_30_idle_minutes(client):
    log_in(client, make_staff(EDITOR))
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_activity_pushes_the_idle_timeout_forward(client):
    log_in(client, make_staff(EDITOR))
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(minutes=20)):
        client.get("/admin/")
    with time_machine.travel(start + datetime.timedelta(minutes=40)):
        assert client.get("/admin/").status_code == 200


def expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def test_requests_within_a_minute_of_the_last_write_do_not_rewrite_the_session(client):
    log_in(client, make_staff(EDITOR))
    written = expiry(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=50)):
        assert client.get("/admin/").status_code == 200
    assert expiry(client) == written


def test_a_request_a_minute_after_the_last_write_pushes_the_expiry_forward(client):
    log_in(client, make_staff(EDITOR))
    written = expiry(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        client.get("/admin/")
    assert expiry(client) - written >= datetime.timedelta(seconds=61)


def test_the_idle_timeout_counts_from_the_last_write_so_it_is_never_longer(client):
    log_in(client, make_staff(EDITOR))
    start = timezone.now()
    with time_machine.travel(start + datetime.timedelta(seconds=30)):
        client.get("/admin/")  # within the minute: the expiry stays 30 minutes after the login
    with time_machine.travel(start + datetime.timedelta(minutes=30, seconds=1)):
        response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_old_session_cookie_no_longer_works_after_logout(client):
    log_in(client, make_staff(EDITOR))
    stolen = client.cookies["sessionid"].value
    client.post("/admin/logout/")
    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_session_cookie_is_http_only(client):
    response = log_in(client, make_staff(EDITOR))
    assert response.cookies["sessionid"]["httponly"]
