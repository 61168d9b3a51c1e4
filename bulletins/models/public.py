"""The registry is private: the public site shows a section, person or unit only when an entry of a
published issue names it (IssueQuerySet.published(), the one publishing rule)."""

from django.db import models


class NamedInPublishedQuerySet(models.QuerySet):
    entries_path = ""  # from the model to Entry, e.g. "entry_people__entry"

    def public(self):
        from .issues import Issue

        named = self.model._base_manager.filter(**{f"{self.entries_path}__issue__in": Issue.objects.published()})
        return self.filter(pk__in=named.values("pk"))


class SectionQuerySet(NamedInPublishedQuerySet):
    entries_path = "entries"


class PersonQuerySet(NamedInPublishedQuerySet):
    entries_path = "entry_people__entry"


class UnitQuerySet(NamedInPublishedQuerySet):
    entries_path = "entries"
