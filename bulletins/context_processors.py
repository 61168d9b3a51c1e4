from .models import Section, SiteSettings
from .public_cache import cached_value


def site_settings(request):
    return {"site": SiteSettings.load()}


def public_navigation(request):
    """The sections linked from the site header, computed once per content generation."""
    if request.path.startswith("/admin/"):
        return {}
    return {"nav_sections": cached_value("nav-sections", lambda: list(Section.objects.all()))}
