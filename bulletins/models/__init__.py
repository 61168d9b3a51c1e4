from .generation import ContentGeneration, PageStamp
from .images import EntryImage
from .issues import Entry, EntryPerson, Issue, IssueQuerySet, Section
from .nearcopies import EntryBand
from .notifications import Notification
from .recycle_bin import DeletedIssue
from .registry import Person, PersonTitle, Unit
from .search import EntrySearchIndex
from .site import SiteSettings
from .snapshots import IssueSnapshot, SnapshotCheck, SnapshotIsImmutable
from .wording import WordRule
from .workflow import IssueTransition

__all__ = [
    "ContentGeneration",
    "DeletedIssue",
    "Entry",
    "EntryBand",
    "EntryImage",
    "EntryPerson",
    "EntrySearchIndex",
    "Issue",
    "Notification",
    "PageStamp",
    "IssueQuerySet",
    "IssueSnapshot",
    "IssueTransition",
    "Person",
    "PersonTitle",
    "Section",
    "SiteSettings",
    "SnapshotCheck",
    "SnapshotIsImmutable",
    "Unit",
    "WordRule",
]
