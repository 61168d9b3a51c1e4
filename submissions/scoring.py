"""考评: points per unit and report period, each quota period scored with the rule in force then.

A report period is a month, a quarter or a year. It is cut into quota periods (weeks from Monday
or calendar months, as the rule says); a week belongs to the report period its Monday falls in.
The rule of a quota period is the latest one whose `valid_from` is on or before its first day;
a week in which a new rule starts ends the day before (a shortened week still has the full quota).

For each quota period and unit: meeting the quota earns `points_quota_met` plus `points_per_extra`
per piece beyond it; missing it costs `deduction_missed_quota`. Each piece submitted in the period
and adopted earns `points_per_adoption`, plus the 上级采用 and 领导批示 an editor recorded on it.
Counting is one aggregate query (per unit and local day); the rest is arithmetic on those rows.
"""

import bisect
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from bulletins.models import Unit

from .models import ScoringRule, Submission

KINDS = {"month": "月", "quarter": "季度", "year": "年"}


@dataclass
class QuotaPeriod:
    start: datetime.date
    end: datetime.date  # exclusive
    rule: ScoringRule


@dataclass
class UnitScore:
    unit: Unit
    submitted: int = 0
    adopted: int = 0
    points: Decimal = Decimal("0")
    periods: int = 0
    below_quota: int = 0
    rank: int = 0

    @property
    def rate(self):
        """Adoption rate in percent, one decimal; None with nothing submitted."""
        return round(Decimal(self.adopted * 100) / self.submitted, 1) if self.submitted else None


@dataclass
class Report:
    kind: str
    year: int
    number: int
    start: datetime.date
    end: datetime.date  # exclusive
    quota_periods: list
    rows: list = field(default_factory=list)

    @property
    def label(self):
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{self.number}季度"
        return f"{self.year}年{self.number}月"


def period_bounds(kind, year, number=1):
    """[start, end) of a month (number 1-12), quarter (1-4) or year."""
    if kind == "year":
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    first_month = number if kind == "month" else 3 * (number - 1) + 1
    months = 1 if kind == "month" else 3
    start = datetime.date(year, first_month, 1)
    return start, _add_months(start, months)


def _add_months(day, months):
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _rule_at(rules, day):
    """rules sorted by valid_from ascending."""
    found = None
    for rule in rules:
        if rule.valid_from > day:
            break
        found = rule
    return found


def quota_periods(start, end, rules):
    periods, cursor = [], start
    while cursor < end:
        rule = _rule_at(rules, cursor)
        if rule is None:
            later = [r.valid_from for r in rules if r.valid_from > cursor]
            if not later:
                break
            cursor = later[0]
            continue
        if rule.quota_period == ScoringRule.Period.WEEK:
            q_start = cursor + datetime.timedelta(days=(7 - cursor.weekday()) % 7)
            q_end = q_start + datetime.timedelta(days=7)
        else:
            q_start = cursor if cursor.day == 1 else _add_months(cursor, 1)
            q_end = _add_months(q_start, 1)
        if q_start >= end:
            break
        # A new rule starts a new quota period: the week it falls in is cut short there.
        change = next((r.valid_from for r in rules if q_start < r.valid_from < q_end), None)
        q_end = change or q_end
        periods.append(QuotaPeriod(q_start, q_end, _rule_at(rules, q_start)))
        cursor = q_end
    return periods


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _daily_counts(start, end):
    """{unit_id: {day: (submitted, adopted, higher, leader)}} in one aggregate query."""
    rows = (
        Submission.objects.sent()
        .filter(submitted_at__gte=_local_midnight(start), submitted_at__lt=_local_midnight(end))
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("unit_id", "day")
        .annotate(submitted=Count("pk"), adopted=Count("pk", filter=Q(state=Submission.State.ADOPTED)),
                  higher=Sum("higher_adoptions", filter=Q(state=Submission.State.ADOPTED)),
                  leader=Sum("leader_instructions", filter=Q(state=Submission.State.ADOPTED)))
        .order_by()
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["unit_id"], {})[row["day"]] = (
            row["submitted"], row["adopted"], row["higher"] or 0, row["leader"] or 0)
    return counts


def reporting_units(start, end):
    """Units with a correspondent account, and any unit that sent something in [start, end)."""
    sent = Submission.objects.sent().filter(submitted_at__gte=_local_midnight(start),
                                            submitted_at__lt=_local_midnight(end))
    return Unit.objects.filter(Q(correspondents__is_active=True) | Q(pk__in=sent.values("unit_id"))).distinct()


def _score(score, periods, days):
    """Add up `days` {day: counts} into each quota period (by bisection), then score the periods."""
    starts = [period.start for period in periods]
    totals = [[0, 0, 0, 0] for _ in periods]
    for day, counts in days.items():
        index = bisect.bisect_right(starts, day) - 1
        if index >= 0 and day < periods[index].end:
            total = totals[index]
            for position, value in enumerate(counts):
                total[position] += value
    for period, (submitted, adopted, higher, leader) in zip(periods, totals):
        rule = period.rule
        score.submitted += submitted
        score.adopted += adopted
        score.periods += 1
        if submitted >= rule.quota:
            score.points += rule.points_quota_met + (submitted - rule.quota) * rule.points_per_extra
        else:
            score.below_quota += 1
            score.points -= rule.deduction_missed_quota
        score.points += (adopted * rule.points_per_adoption + higher * rule.points_higher_adoption
                         + leader * rule.points_leader_instruction)


def build_report(kind, year, number=1):
    start, end = period_bounds(kind, year, number)
    rules = list(ScoringRule.objects.order_by("valid_from"))
    periods = quota_periods(start, end, rules)
    report = Report(kind=kind, year=year, number=number, start=start, end=end, quota_periods=periods)
    if not periods:
        return report
    window_start, window_end = periods[0].start, max(p.end for p in periods)
    counts = _daily_counts(window_start, window_end)
    for unit in reporting_units(window_start, window_end).order_by("name"):
        score = UnitScore(unit=unit)
        _score(score, periods, counts.get(unit.pk, {}))
        report.rows.append(score)
    report.rows.sort(key=lambda row: (-row.points, -row.adopted, row.unit.name))
    for index, row in enumerate(report.rows):
        previous = report.rows[index - 1] if index else None
        row.rank = previous.rank if previous and previous.points == row.points else index + 1
    return report
