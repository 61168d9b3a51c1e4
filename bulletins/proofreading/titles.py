"""Leaders' names and titles (职务) as written, checked against the registry at the issue's date.

The reading of names and titles is `bulletins.names`, the same as linking and the import
preview use. Here: a registered person written with a title not theirs at the issue's date, and
a name one character off a registered one, titled or bare, each one blocking finding.
"""

from dataclasses import dataclass

from bulletins.names import resolve, run_fits, scan, titled_names

from .findings import BLOCKING, Finding


@dataclass
class _Reading:
    mentions: list  # per entry: Mentions of registered names
    slips: list  # per entry: Slips


def read_names(context, index):
    """Every mention and slip of the issue's entries, read once and kept on the context."""
    if context.names is None:
        scans = [scan(checked.text, index) for checked in context.entries]
        mentioned = {mention.name for mentions, _ in scans for mention in mentions}
        mentioned |= titled_names([site for _, sites in scans for site in sites], index)
        slips = [resolve(sites, index, context.date, mentioned) for _, sites in scans]
        context.names = _Reading(mentions=[mentions for mentions, _ in scans], slips=slips)
    return context.names


def _date(date):
    return f"{date.year}年{date.month}月{date.day}日"


def _neighbour_note(index, name, run, date):
    """When the written title is that of a registered name one character off, say so."""
    others = [other for other in sorted(index.one_off(name)) if run_fits(run, index.titles_at(other, date))]
    return f"若指{run.display}{others[0]}，则人名有误。" if others else ""


def check_titles(context, index):
    """A registry person named with a title that is not theirs at the issue's date: blocking."""
    reading = read_names(context, index)
    for checked, mentions in zip(context.entries, reading.mentions):
        for mention in mentions:
            if mention.title is None:
                continue
            held = index.titles_at(mention.name, context.date)
            if not held or run_fits(mention.title, held):
                continue
            right = "、".join(held)
            written = mention.title.display
            yield Finding(
                severity=BLOCKING, code="title", entry=checked.entry, where=checked.where,
                text=f"{written}{mention.name}",
                message=(
                    f"职务与登记不符：{mention.name}在{_date(context.date)}的职务是“{right}”，文中写作“{written}”。"
                    + _neighbour_note(index, mention.name, mention.title, context.date)
                ),
                suggestion=f"{right}{mention.name}", at=(mention.start,),
            )


def check_near_names(context, index):
    """A name one character off a registry name, after a title or where a name stands: blocking."""
    reading = read_names(context, index)
    for checked, slips in zip(context.entries, reading.slips):
        for slip in slips:
            name = slip.best
            message = f"人名疑似写错：“{slip.written}”与登记的“{name}”只差一个字。"
            if slip.ambiguous:
                message += "也可能是：" + "、".join(f"“{other}”" for other in slip.ambiguous) + "。"
            if slip.title is None:
                text, suggestion = slip.written, name
            else:
                held = index.titles_at(name, context.date)
                title = slip.title.display if not held or run_fits(slip.title, held) else "、".join(held)
                text, suggestion = f"{slip.title.display}{slip.written}", f"{title}{name}"
            yield Finding(
                severity=BLOCKING, code="near_name", entry=checked.entry, where=checked.where,
                text=text, message=message, suggestion=suggestion, at=(slip.start,),
            )
