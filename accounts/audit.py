"""The one way to write an audit record: `record(action, user=..., request=..., obj=...)`."""

import ipaddress

from django.apps import apps
from django.conf import settings

from .models import AuditEvent

# Chinese labels for the audit log's 操作 column, filter and CSV export: the registry of every
# action recorded anywhere (tests/test_audit_actions.py checks the code against it). Workflow
# labels match IssueTransition.Action's.
ACTION_LABELS = {
    "workflow.submit": "提交审核",
    "workflow.pass": "通过审核",
    "workflow.return": "退回修改",
    "workflow.publish": "签发发布",
    "workflow.override": "强制签发（忽略校对问题）",
    "workflow.withdraw": "撤稿",
    "workflow.restore": "恢复旧版本",
    "workflow.correct": "更正已发布期刊",
    "workflow.reopen": "撤稿后重新编辑",
    "snapshot.sign": "签发快照（记录哈希）",
    "submission.submit": "报送信息",
    "submission.resubmit": "重新报送信息",
    "submission.adopt": "采用报送信息",
    "submission.reject": "不采用报送信息",
    "submission.return": "退回报送信息",
    "submission.score": "登记上级采用或领导批示",
    "submission.delete": "删除报送草稿",
    "import": "导入简报",
    "image.upload": "上传图片",
    "issue.delete": "删除草稿",
    "issue.recover": "从回收站恢复",
    "issue.purge": "回收站到期清除",
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


def object_type_label(object_type):
    """“期刊” for `bulletins.Issue`: the model's Chinese name; the stored label if it is gone."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


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
