"""Counts for the creation office's overview (概览): who and what the published issues report.

Everything counts published issues only (the public record, `Issue.objects.published()`),
dated by the issue's own date (刊期日期, `dated_at`); each function is one aggregate query.
"""

import datetime

from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Entry, Issue, Section, Unit


def published_between(start, end):
    """Published issues whose own date (刊期日期, local time) is within [start, end]."""
    return Issue.objects.published().filter(dated_at__date__gte=start, dated_at__date__lte=end)


def latest_year():
    """The latest year (local time) of a published issue's own date, or None; dated as above."""
    latest = Issue.objects.published().aggregate(latest=Max("dated_at"))["latest"]
    return timezone.localtime(latest).year if latest else None


def entries_per_unit(issues):
    """[(unit name, entries)] for units named in entries of `issues`, most reported first."""
    rows = (
        Entry.units.through.objects.filter(entry__issue__in=issues)
        .values("unit__name")
        .annotate(count=Count("entry_id"))
        .order_by("-count", "unit__name")
    )
    return [(row["unit__name"], row["count"]) for row in rows]


def entries_per_section(issues):
    """[(section name, entries)] for every section, in section order, zero included."""
    rows = Section.objects.annotate(count=Count("entries", filter=Q(entries__issue__in=issues))).order_by("order", "id")
    return [(section.name, section.count) for section in rows]


def _months(start, end):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def entries_per_month(issues, start, end):
    """[(“2023年4月”, entries)] for every month from start to end, zero included."""
    rows = (
        Entry.objects.filter(issue__in=issues)
        .annotate(month=TruncMonth("issue__dated_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(count=Count("id"))
    )
    counts = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = timezone.localtime(month) if timezone.is_aware(month) else month
        counts[(month.year, month.month)] = counts.get((month.year, month.month), 0) + row["count"]
    return [(f"{year}年{month}月", counts.get((year, month), 0)) for year, month in _months(start, end)]


def units_not_reported(last, *, now=None):
    """Registry units (other cities aside) named in none of the `last` newest published issues.

    Returns (units with `last_seen`, the publish time of their latest published mention or None,
    and `last_submitted`, when their correspondent last sent a submission (信息报送) or None;
    the issues looked at), never-reported units first.
    """
    from submissions.models import Submission

    published = Issue.objects.published(now)
    recent = list(published.newest_first()[:last])
    last_submitted = (Submission.objects.sent().filter(unit=OuterRef("pk")).order_by("-submitted_at")
                      .values("submitted_at")[:1])
    units = (
        Unit.objects.exclude(kind=Unit.Kind.OTHER_CITY)
        .exclude(entries__issue__in=recent)
        .annotate(last_seen=Max("entries__issue__dated_at", filter=Q(entries__issue__in=published)),
                  last_submitted=Subquery(last_submitted))
        .order_by(F("last_seen").asc(nulls_first=True), "name")
    )
    return list(units), recent
