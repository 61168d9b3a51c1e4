"""Small factories for focused test data; each returns a saved object."""

import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from bulletins.models import Entry, EntryPerson, Issue, Person, Section, Unit

_numbers = itertools.count(1)


def make_user(username=None, *, roles=(), password="Wenming-Test-2026!", **fields):
    username = username or f"user{next(_numbers)}"
    user = User.objects.create_user(username=username, password=password, **fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_issue(*, year=2023, number=None, status=Issue.Status.DRAFT, published_at=None, **fields):
    if status == Issue.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - datetime.timedelta(hours=1)
    return Issue.objects.create(
        year=year, number=number or next(_numbers), status=status, published_at=published_at, **fields
    )


def make_published_issue(**fields):
    return make_issue(status=Issue.Status.PUBLISHED, **fields)


def section(name="领导活动"):
    return Section.objects.get(name=name)


def make_entry(issue, *, section_name="领导活动", body="<p>近日，市委召开创文工作推进会。</p>", order=0, **fields):
    return Entry.objects.create(issue=issue, section=section(section_name), body=body, order=order, **fields)


def make_person(name="陶斌", title="市委常委、宣传部部长", **fields):
    return Person.objects.create(name=name, title=title, **fields)


def make_unit(name="市残疾人联合会", short_names="市残联", **fields):
    return Unit.objects.create(name=name, short_names=short_names, **fields)


def link_person(entry, person, title_as_written=""):
    return EntryPerson.objects.create(entry=entry, person=person, title_as_written=title_as_written)


# Accounts -------------------------------------------------------------------

STRONG_PASSWORD = "Wenming-Test-2026!"


def make_staff(role=None, username=None, **fields):
    """A staff account holding one role (a name from accounts.roles), or none."""
    return make_user(username, roles=[role] if role else (), is_staff=True, **fields)


def make_audit_event(action="login", *, created_at=None, **fields):
    from accounts.models import AuditEvent

    return AuditEvent.objects.create(action=action, created_at=created_at or timezone.now(), **fields)
