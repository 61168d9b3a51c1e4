"""Entry dates against the issue: after its publish time, long before the previous issue, unreadable."""

import datetime

from bulletins.models.issues import UNDATED_WORDS

from .findings import WARNING, Finding

STALE_AFTER = datetime.timedelta(days=90)


def _date(date):
    return f"{date.year}年{date.month}月{date.day}日"


def check_dates(context, previous_date=None):
    """`previous_date`: the publish date of the previous published issue, if any."""
    for checked in context.entries:
        entry = checked.entry
        date_text = entry.date_text.strip()
        if entry.event_date is None:
            if date_text and date_text not in UNDATED_WORDS:
                yield Finding(
                    severity=WARNING, code="date", entry=entry, where=checked.where, text=date_text,
                    message=f"日期“{date_text}”无法识别，请填写事件日期，或改为“近日”。",
                    suggestion="填写事件日期",
                )
            continue
        if entry.event_date > context.date:
            when = "刊期日期" if context.issue.dated_at else "今天"
            yield Finding(
                severity=WARNING, code="date", entry=entry, where=checked.where,
                text=date_text or _date(entry.event_date),
                message=f"条目日期{_date(entry.event_date)}晚于本期{when}（{_date(context.date)}）。",
                suggestion="核对日期",
            )
        elif previous_date and entry.event_date < previous_date - STALE_AFTER:
            yield Finding(
                severity=WARNING, code="date", entry=entry, where=checked.where,
                text=date_text or _date(entry.event_date),
                message=(
                    f"条目日期{_date(entry.event_date)}比上一期（{_date(previous_date)}发布）"
                    f"早{STALE_AFTER.days}天以上，是否旧闻？"
                ),
                suggestion="核对日期",
            )
