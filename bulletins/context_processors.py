from typing import NamedTuple

from .models import Section, SiteSettings
from .public_cache import cached_value, current_generation


class NavLink(NamedTuple):
    name: str
    url: str


def site_settings(request):
    return {"site": SiteSettings.load(generation=current_generation(request))}


def public_navigation(request):
    """The sections of published issues linked from the site header (name and URL, reversed once),
    computed once per content generation."""
    if request.path.startswith("/admin/"):
        return {}
    links = cached_value(
        "nav-links",
        lambda: [NavLink(section.name, section.get_absolute_url()) for section in Section.objects.public()],
        generation=current_generation(request),
    )
    return {"nav_sections": links}
