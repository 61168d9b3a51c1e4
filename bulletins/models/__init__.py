from .issues import Entry, EntryPerson, Issue, IssueQuerySet, Section
from .registry import Person, PersonTitle, Unit
from .site import SiteSettings
from .workflow import IssueTransition

__all__ = [
    "Entry",
    "EntryPerson",
    "Issue",
    "IssueQuerySet",
    "IssueTransition",
    "Person",
    "PersonTitle",
    "Section",
    "SiteSettings",
    "Unit",
]
