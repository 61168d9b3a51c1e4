from .images import EntryImage
from .issues import Entry, EntryPerson, Issue, IssueQuerySet, Section
from .registry import Person, PersonTitle, Unit
from .site import SiteSettings
from .wording import WordRule

__all__ = [
    "Entry",
    "EntryImage",
    "EntryPerson",
    "Issue",
    "IssueQuerySet",
    "Person",
    "PersonTitle",
    "Section",
    "SiteSettings",
    "Unit",
    "WordRule",
]
