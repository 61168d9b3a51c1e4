"""Login-failure handling on top of django-axes.

Axes locks a username + address pair after AXES_FAILURE_LIMIT failures. It applies one limit
to every lockout parameter, so the second, higher limit per address (which catches an attacker
cycling usernames without letting one person's typos lock a whole office behind a NAT address)
is counted here from the same AccessAttempt rows.
"""

from django.conf import settings
from django.contrib import admin
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out


def _recent_attempts(*, ip_address, username=None):
    attempts = AccessAttempt.objects.filter(
        ip_address=ip_address, attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    )
    if username is not None:
        attempts = attempts.filter(username=username)
    return attempts


def address_failures(ip_address):
    """Failures from one address within the cool-off time, whatever usernames were tried."""
    return _recent_attempts(ip_address=ip_address).aggregate(n=Sum("failures_since_start"))["n"] or 0


def address_locked(ip_address):
    return ip_address is not None and address_failures(ip_address) >= settings.WENMING_IP_FAILURE_LIMIT


def locked_until(*, ip_address, username):
    """When the lock on this username + address (or on the address alone) ends, or None."""
    pair = _recent_attempts(ip_address=ip_address, username=username)
    candidates = []
    if (pair.aggregate(n=Sum("failures_since_start"))["n"] or 0) >= settings.AXES_FAILURE_LIMIT:
        candidates.append(pair.aggregate(t=Max("attempt_time"))["t"])
    if address_locked(ip_address):
        candidates.append(_recent_attempts(ip_address=ip_address).aggregate(t=Max("attempt_time"))["t"])
    candidates = [t for t in candidates if t is not None]
    return max(candidates) + settings.AXES_COOLOFF_TIME if candidates else None


def failures_by_username():
    """A subquery: recent failures of the outer row's username, summed over all addresses."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    recent = (
        AccessAttempt.objects.filter(
            username=OuterRef("username"), attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
        )
        .order_by()
        .values("username")
        .annotate(n=Sum("failures_since_start"))
        .values("n")
    )
    return Coalesce(Subquery(recent, output_field=IntegerField()), 0)


def unlock(username):
    """Lift every lock on this username (all addresses); returns how many attempt records went."""
    return AxesProxyHandler.reset_attempts(username=username)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit."""

    def is_locked(self, request, credentials=None):
        return super().is_locked(request, credentials) or address_locked(request.axes_ip_address)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_locked(request.axes_ip_address):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response=None, credentials=None):
    """The Chinese page shown while a login is locked, saying until when."""
    username = get_client_username(request, credentials) or ""
    until = locked_until(ip_address=request.axes_ip_address, username=username)
    if until is None:
        until = timezone.now() + (get_cool_off(request) or settings.AXES_COOLOFF_TIME)
    context = {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "username": username,
        "address_locked": address_locked(request.axes_ip_address),
        "locked_until": timezone.localtime(until),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locked_out.html", context, status=429)
