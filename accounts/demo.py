"""Demo accounts, one per role, for a development installation (never in production)."""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER

DEMO_PASSWORD = "Wenming-Demo-2026"

DEMO_ACCOUNTS = [
    ("bianji", "张编辑", EDITOR),
    ("shenhe", "李审核", REVIEWER),
    ("qianfa", "王签发", SIGNER),
    ("guanli", "赵管理", ADMINISTRATOR),
    ("shenji", "钱审计", AUDITOR),
]


@transaction.atomic
def create_demo_accounts(*, password=DEMO_PASSWORD, unit="市创文办"):
    """Create the missing demo accounts; returns the usernames created."""
    created = []
    for username, real_name, role in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, real_name=real_name, unit=unit, is_staff=True)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        created.append(username)
    return created
