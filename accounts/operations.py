"""Account operations of the 系统管理员: roles, deactivate, reset password, unlock.

Each checks the acting user's permission, writes its audit record and runs in a transaction.
"""

import secrets
import string

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import lockout
from .audit import record
from .roles import ADMINISTRATOR, AUDITOR, CORRESPONDENT
from .validators import CharacterClassesValidator

_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1") + "-_!@#%+="


def temporary_password(length=14):
    """A random one-time password that satisfies the password policy's character classes."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(length))
        try:
            CharacterClassesValidator(min_classes=4).validate(candidate)
        except ValidationError:
            continue
        return candidate


def role_names(user):
    return sorted(user.groups.values_list("name", flat=True))


def check_separation_of_duties(roles):
    """One account may not both manage accounts and audit them."""
    names = {getattr(role, "name", role) for role in roles}
    if {ADMINISTRATOR, AUDITOR} <= names:
        raise ValidationError("系统管理员与审计员必须由不同账号担任（职责分离），请只选择其中一个角色。")


def is_correspondent(roles):
    return CORRESPONDENT in {getattr(role, "name", role) for role in roles}


def check_correspondent(roles, reporting_unit):
    """A correspondent holds that role only and reports for exactly one unit; nobody else has a unit."""
    names = {getattr(role, "name", role) for role in roles}
    if CORRESPONDENT in names:
        if names != {CORRESPONDENT}:
            raise ValidationError("通讯员只在报送平台工作，不能同时担任其他角色。")
        if reporting_unit is None:
            raise ValidationError({"reporting_unit": "请选择通讯员的报送单位。"})
    elif reporting_unit is not None:
        raise ValidationError({"reporting_unit": "只有通讯员需要报送单位，其他角色请留空。"})


def _require(by, permission):
    if not by.has_perm(permission):
        raise PermissionDenied("您没有执行此操作的权限。")


def record_roles_change(*, by, request=None, user, before):
    after = role_names(user)
    if sorted(before) != after:
        record(
            "account.roles_changed", user=by, request=request, obj=user,
            detail=f"原角色：{'、'.join(sorted(before)) or '无'}；新角色：{'、'.join(after) or '无'}",
        )


@transaction.atomic
def deactivate(user, *, by, request=None):
    """Deactivate, never delete: the history keeps the name."""
    _require(by, "accounts.change_user")
    if user.pk == by.pk:
        raise ValidationError("不能停用自己的账号。")
    if not user.is_active:
        return False
    user.is_active = False
    user.save(update_fields=["is_active"])
    record("account.deactivate", user=by, request=request, obj=user)
    return True


def set_temporary_password(user):
    """Set (unsaved) a one-time password the user must change at the next login; returns it."""
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    return password


@transaction.atomic
def reset_password(user, *, by, request=None):
    """Give the user a one-time temporary password, to be changed at the next login; returns it."""
    _require(by, "accounts.reset_password_user")
    password = set_temporary_password(user)
    user.save()
    record("account.password_reset", user=by, request=request, obj=user)
    return password


@transaction.atomic
def unlock(user, *, by, request=None):
    """Lift the login lock on this account, from every address."""
    _require(by, "accounts.unlock_user")
    count = lockout.unlock(user.get_username())
    record("account.unlock", user=by, request=request, obj=user, detail=f"清除失败登录记录 {count} 条")
    return count
