"""The one way to write an audit record: `record(action, user=..., request=..., obj=...)`."""

from .models import AuditEvent


def client_ip(request):
    """The client address; the accounts issue decides which proxy header (if any) is trusted."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, user=None, request=None, obj=None, outcome=AuditEvent.Outcome.SUCCESS, detail="", username=""):
    if user is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            user = request.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        outcome=outcome,
        detail=detail,
    )
