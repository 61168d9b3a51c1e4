from .generation import ContentGeneration
from .images import EntryImage
from .issues import Entry, EntryPerson, Issue, IssueQuerySet, Section
from .notifications import Notification
from .recycle_bin import DeletedIssue
from .registry import Person, PersonTitle, Unit
from .search import EntrySearchIndex
from .site import SiteSettings
from .wording import WordRule
from .workflow import IssueTransition

__all__ = [
    "DeletedIssue",
    "ContentGeneration",
    "Entry",
    "EntryImage",
    "EntryPerson",
    "EntrySearchIndex",
    "Issue",
    "Notification",
    "IssueQuerySet",
    "IssueTransition",
    "Person",
    "PersonTitle",
    "Section",
    "SiteSettings",
    "Unit",
    "WordRule",
]
