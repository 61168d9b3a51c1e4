"""Signal handlers that forget cached public pages whenever published content may have changed.

Saving or deleting an issue, an entry, its people and units, a section, a registry record or
the site settings starts a new content generation (bulletins/public_cache.py). The generation
is a database row updated in the same transaction, so other requests see the new number exactly
when they can see the change; a page rendered from the old rows stays under the old number.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Entry, EntryPerson, Issue, Person, Section, SiteSettings, Unit
from .public_cache import bump_generation

CONTENT_MODELS = (Issue, Entry, EntryPerson, Section, Person, Unit, SiteSettings)


def forget_public_pages(**kwargs):
    bump_generation()


for model in CONTENT_MODELS:
    post_save.connect(forget_public_pages, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(forget_public_pages, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


@receiver(m2m_changed, sender=Entry.units.through, dispatch_uid="public-cache-entry-units")
def forget_public_pages_on_unit_links(action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        forget_public_pages()
