"""Audit records for sign-in events (login, failed login, lockout, logout, password change)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from axes.signals import user_locked_out

from .audit import record
from .models import AuditEvent


@receiver(user_logged_in, dispatch_uid="accounts.audit_login")
def audit_login(sender, request, user, **kwargs):
    record("login", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    locked = getattr(request, "wenming_refused_by_lock", False)
    record(
        "login_failed",
        request=request,
        username=(credentials or {}).get("username", "")[:150],
        outcome=AuditEvent.Outcome.FAILURE,
        detail="账号处于锁定期间" if locked else "用户名或密码错误",
    )


@receiver(user_locked_out, dispatch_uid="accounts.audit_lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    if getattr(request, "wenming_refused_by_lock", False):
        return  # the lock began earlier and was recorded then; this attempt is a login_failed
    record("lockout", request=request, username=(username or "")[:150], outcome=AuditEvent.Outcome.FAILURE)


@receiver(user_logged_out, dispatch_uid="accounts.audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record("logout", user=user, request=request)
