from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.cache import patch_cache_control

from accounts.forms import LoginForm
from bulletins.admin.importing import import_view
from bulletins.urls import crawler_urlpatterns
from wenming.media import serve_media

admin.site.site_header = "文明城市创建简报管理"
admin.site.site_title = "简报管理"
admin.site.index_title = "工作台"
admin.site.login_form = LoginForm


def _kept_a_day_when_served(view):
    """The admin's translation catalogue, the same for every page and person (one language): kept by
    the browser for a day, not fetched again before every admin page can run. Only the catalogue:
    the redirect to the login page a signed-out request gets must not be kept."""

    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, private=True, max_age=86400)
        return response

    return wrapper

urlpatterns = [
    path("admin/", include(("accounts.urls", "accounts"))),
    path("admin/bulletins/issue/import/", admin.site.admin_view(import_view), name="bulletins_issue_import"),
    path("admin/", include("bulletins.admin.urls")),  # 校对, 导出Word, 概览; before the catch-all admin URLs
    path("admin/jsi18n/", _kept_a_day_when_served(admin.site.admin_view(admin.site.i18n_javascript, cacheable=True))),
    path("admin/", admin.site.urls),
    path("portal/", include("submissions.urls")),  # the correspondents' side
    path("", include("bulletins.urls")),
    *crawler_urlpatterns,
]

if settings.MEDIA_URL.startswith("/"):  # media on this site: nginx serves it first when it can (docs/deploy.md)
    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}<path:name>", serve_media, name="media"))
