from .issues import Entry, EntryPerson, Issue, IssueQuerySet, Section
from .registry import Person, PersonTitle, Unit
from .search import EntrySearchIndex
from .site import SiteSettings

__all__ = [
    "Entry",
    "EntryPerson",
    "EntrySearchIndex",
    "Issue",
    "IssueQuerySet",
    "Person",
    "PersonTitle",
    "Section",
    "SiteSettings",
    "Unit",
]
