"""The one way to write an audit record: `record(action, user=..., request=..., obj=...)`."""

import ipaddress

from django.conf import settings

from .models import AuditEvent

# Chinese labels for the audit log's 操作 column, filter and CSV export. An action without a
# label shows its code; apps that record new actions add their labels here.
ACTION_LABELS = {
    "workflow.submit": "提交审核",
    "workflow.return": "退回修改",
    "workflow.pass": "审核通过",
    "workflow.publish": "签发发布",
    "workflow.schedule": "定时发布",
    "workflow.withdraw": "撤稿",
    "workflow.correct": "更正",
    "workflow.override": "强制签发",
    "workflow.restore": "恢复历史版本",
    "image.upload": "上传图片",
    "import": "导入",
    "login": "登录",
    "login_failed": "登录失败",
    "lockout": "登录锁定",
    "logout": "退出登录",
    "password_change": "修改密码",
    "account.create": "创建账号",
    "account.roles_changed": "变更角色",
    "account.change": "修改账号信息",
    "account.deactivate": "停用账号",
    "account.activate": "启用账号",
    "account.password_reset": "重置密码",
    "account.unlock": "解除锁定",
    "audit.export": "导出审计记录",
    "audit.prune": "清理审计记录",
}


def action_label(action):
    return ACTION_LABELS.get(action, action)


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except (AttributeError, ValueError):
        return None


def client_ip(request):
    """The client address, from the one header the operator trusts (WENMING_CLIENT_IP_HEADER).

    By default that is REMOTE_ADDR: a client-supplied X-Forwarded-For is ignored. Behind nginx,
    set it to HTTP_X_REAL_IP, which nginx overwrites with the address it saw.
    """
    if request is None:
        return None
    header = getattr(settings, "WENMING_CLIENT_IP_HEADER", "REMOTE_ADDR") or "REMOTE_ADDR"
    address = _valid_ip(request.META.get(header, ""))
    if address is None and header != "REMOTE_ADDR":
        address = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    return address


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
