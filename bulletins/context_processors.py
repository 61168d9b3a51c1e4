from .models import Section, SiteSettings
from .public_cache import cached_value, current_generation


def site_settings(request):
    return {"site": SiteSettings.load(generation=current_generation(request))}


def public_navigation(request):
    """The sections linked from the site header, computed once per content generation."""
    if request.path.startswith("/admin/"):
        return {}
    sections = cached_value("nav-sections", lambda: list(Section.objects.all()), generation=current_generation(request))
    return {"nav_sections": sections}
