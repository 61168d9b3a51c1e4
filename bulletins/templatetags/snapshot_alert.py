"""The blocking alert of the snapshot verification on the admin index (bulletins/snapshots.py)."""

import re
from functools import reduce
from operator import or_

from django import template
from django.db.models import Q
from django.urls import reverse

from bulletins.models import Issue
from bulletins.snapshots import may_see_alert, open_alert

register = template.Library()

# Every problem line starts with the issue's label (bulletins.snapshots.label).
LABEL = re.compile(r"^(\d{4})年第(\d+)期")
MOST_SHOWN = 50  # problem lines and issues on the index; the rest are counted


def failing_issues(check, user):
    """[(label, snapshots URL, change page URL or None)] of the issues the check names, in its order."""
    from bulletins.admin.snapshots import issue_snapshots_url

    keys = list(dict.fromkeys((int(m[1]), int(m[2])) for m in map(LABEL.match, check.problems.splitlines()) if m))
    keys = keys[:MOST_SHOWN]
    if not keys:
        return []
    named = reduce(or_, (Q(year=year, number=number) for year, number in keys))
    found = {(issue.year, issue.number): issue.pk for issue in Issue.objects.filter(named).only("pk", "year", "number")}
    may_edit = user.has_perm("bulletins.view_issue")
    return [(f"{year}年第{number}期", issue_snapshots_url(found[year, number]),
             reverse("admin:bulletins_issue_change", args=[found[year, number]]) if may_edit else None)
            for year, number in keys if (year, number) in found]


@register.simple_tag
def snapshot_alert(user):
    """The failed check to show to a signer or an auditor, until a later verification passes, with
    links to the issues it names and to the list of snapshots."""
    if not may_see_alert(user):
        return None
    check = open_alert()
    if check is None:
        return None
    problems = check.problems.splitlines()
    return {"check": check, "problems": problems[:MOST_SHOWN], "more": max(0, len(problems) - MOST_SHOWN),
            "issues": failing_issues(check, user), "list_url": reverse("admin:bulletins_issuesnapshot_changelist")}
