"""Demo accounts, one per role, for a development installation (never in production).

The one implementation used by both `create_demo_accounts` and `load_initial_data`.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from .models import User
from .roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER

DEMO_PASSWORD = "Wenming-Demo-2026"

# username, real name, role
DEMO_ACCOUNTS = [
    ("editor", "张编辑", EDITOR),
    ("reviewer", "李审核", REVIEWER),
    ("signer", "王签发", SIGNER),
    ("sysadmin", "赵管理", ADMINISTRATOR),
    ("auditor", "陈审计", AUDITOR),
]


@transaction.atomic
def create_demo_accounts(*, password=DEMO_PASSWORD, unit="市创文办"):
    """Create the missing demo accounts, ready to log in (no forced password change).

    An existing account (and its password) is left alone but gets its role back.
    Returns the usernames created.
    """
    created = []
    for username, real_name, role in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # An address, so the workflow's notifications show up on the console backend in a demo.
            user = User(username=username, real_name=real_name, unit=unit, is_staff=True,
                        email=f"{username}@wenming.example")
            user.set_password(password)
            user.save()
            created.append(username)
        user.groups.add(Group.objects.get(name=role))
    return created
