"""Find the registry's people and units named in an entry's text, and link them.

Precision over recall: a unit is matched only by a name or alias in the registry (市残联 and
市残疾人联合会 are one unit; 市委 alone is nothing unless registered), a person only by their
registered name. A title-plus-name pattern whose name is not registered is offered to the
editor as a suggestion (`suggest_new_people`), never added silently.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from .models import EntryPerson, Person, Unit
from .names import DOUBLE_SURNAMES, SURNAMES, PeopleIndex, closest, title_before
from .names.titles import CJK, TITLE_PATTERN

AFTER_NAME = (
    r"主持|出席|参加|参与|调研|督导|督查|检查|深入|带队|率队|一行|指出|强调|要求|表示|讲话|致辞|暗访|先后|实地|"
    r"前往|来到|召开|听取|会见|看望|慰问|走访|宣讲|同志|以|在|到|赴|对|就|作|等|和|与|及|、|[,，。；;：:（(\s]|$"
)
_SURNAME = rf"(?:{'|'.join(DOUBLE_SURNAMES)}|[{SURNAMES}])"
SUGGESTION = re.compile(rf"(?P<title>{TITLE_PATTERN})(?P<name>{_SURNAME}[{CJK}]{{1,2}}?)(?=(?:{AFTER_NAME}))")


@dataclass(frozen=True)
class PersonMention:
    person: Person
    title: str  # as written right before the name, e.g. 市委常委、宣传部部长
    start: int
    end: int

    @property
    def title_start(self):
        return self.start - len(self.title)


@dataclass(frozen=True)
class UnitMention:
    unit: Unit
    name: str  # as written: a full name, short name or alias
    start: int


@dataclass(frozen=True)
class Suggestion:
    """A title and a name that match no registry person: offered to the editor, never added silently.

    `registered`: the registered person the name is most likely a slip for (one character off),
    in which case the editor is pointed at that person, never offered to add the typo.
    """

    name: str
    title: str
    registered: Person | None = None

    @property
    def text(self):
        return f"{self.title}{self.name}"


@dataclass
class Mentions:
    people: list[PersonMention] = field(default_factory=list)
    units: list[UnitMention] = field(default_factory=list)

    def linked_people(self):
        """One mention per person: the first that carries a title, else the first."""
        chosen = {}
        for mention in self.people:
            if mention.person.pk not in chosen or (mention.title and not chosen[mention.person.pk].title):
                chosen[mention.person.pk] = mention
        return sorted(chosen.values(), key=lambda mention: mention.start)

    def linked_units(self):
        return list({mention.unit.pk: mention.unit for mention in self.units}.values())


def _alternation(names):
    names = sorted({name for name in names if name}, key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names)) if names else None


class Registry:
    """The people and units to look for, loaded once and reused for many entries."""

    def __init__(self, people, units):
        people = list(people)
        self.index = PeopleIndex.from_people(people)
        self.people = {}
        self.titles = {}
        self.by_pk = {}
        for person in people:
            self.people.setdefault(person.name, []).append(person)
            self.by_pk[person.pk] = person
            known = {person.title, *(title.title for title in person.titles.all())}
            self.titles[person.pk] = sorted((title for title in known if title), key=len, reverse=True)
        self.units = {}
        for unit in units:
            for name in unit.all_names:
                self.units.setdefault(name, unit)
        self.unit_pattern = _alternation(self.units)

    @classmethod
    def load(cls):
        return cls(Person.objects.prefetch_related("titles"), Unit.objects.all())

    def person_for(self, name, title):
        """The registered person of that name; among namesakes, the one who holds that title."""
        candidates = self.people[name]
        for person in candidates:
            if title and title in self.titles[person.pk]:
                return person
        return candidates[0]


def find_mentions(text, registry):
    mentions = Mentions()
    for mention in registry.index.mentions(text):
        title = mention.title.display if mention.title else ""
        person = registry.person_for(mention.name, title)
        mentions.people.append(PersonMention(person, title, mention.start, mention.end))
    if registry.unit_pattern is not None:
        # A unit inside a person's title (市公安局 in 市公安局局长何渝) is their post, not an actor.
        title_spans = [(mention.title_start, mention.start) for mention in mentions.people if mention.title]
        for match in registry.unit_pattern.finditer(text):
            if any(start <= match.start() < end for start, end in title_spans):
                continue
            mentions.units.append(UnitMention(registry.units[match.group(0)], match.group(0), match.start()))
    return mentions


def suggest_new_people(text, registry=None, *, date=None):
    """Title-plus-name patterns whose name is not in the registry, e.g. 副市长、市公安局局长何渝.

    A name one character off a registered one (陶彬 for 陶斌) is a slip: its suggestion carries
    the registered person instead (`registered`), ranked by the title as written at `date`.
    """
    registry = registry or Registry.load()
    pattern = registry.index.pattern
    known_spans = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern is not None else []
    suggestions = []
    for match in SUGGESTION.finditer(text):
        name = match["name"]
        if name in registry.people or any(start < match.end() and match.start("name") < end
                                          for start, end in known_spans):
            continue
        run = title_before(match["title"], len(match["title"]))
        slip = closest(name, run, registry.index, date)
        registered = None
        if slip is not None:
            registered = registry.person_for(slip.best, run.display if run else "")
        suggestion = Suggestion(name=name, title=run.display if run else match["title"], registered=registered)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions


# No savepoint inside a caller's transaction: nobody recovers from a failed link and carries on,
# and a savepoint per entry was two more queries per entry of an issue's save.
@transaction.atomic(savepoint=False)
def link_entry(entry, *, registry=None):
    """Link the people and units the entry names, with the title as written in this entry.

    A registry person whose name is no longer in the text is unlinked; units are only added,
    so a unit the editor linked by hand stays. Returns the Mentions found.
    """
    registry = registry or Registry.load()
    mentions = find_mentions(entry.plain_text, registry)
    people = mentions.linked_people()
    existing = {link.person_id: link for link in entry.entry_people.all()}
    named = {person.pk for people_named in registry.people.values() for person in people_named
             if person.name in entry.plain_text}
    stale = [pk for pk, link in existing.items() if pk in registry.titles and pk not in named]
    if stale:
        entry.entry_people.filter(person_id__in=stale).delete()
    for order, mention in enumerate(people, start=1):
        link = existing.get(mention.person.pk)
        if link is None:
            EntryPerson.objects.create(entry=entry, person=mention.person, title_as_written=mention.title, order=order)
        elif (link.title_as_written, link.order) != (mention.title, order):
            link.title_as_written, link.order = mention.title, order
            link.save(update_fields=["title_as_written", "order"])
    # Only units not linked yet: an add of nothing still signals a change (a new content generation).
    units = mentions.linked_units()
    if units:
        linked = {unit.pk for unit in entry.units.all()}
        missing = [unit for unit in units if unit.pk not in linked]
        if missing:
            entry.units.add(*missing)
    return mentions


def link_entries(entries, *, registry=None):
    """link_entry for many entries with one registry load (the admin's save of an issue)."""
    registry = registry or Registry.load()
    for entry in entries:
        link_entry(entry, registry=registry)
