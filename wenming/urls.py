from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "文明城市创建简报管理"
admin.site.site_title = "简报管理"
admin.site.index_title = "工作台"

urlpatterns = [
    path("admin/", include(("accounts.urls", "accounts"))),
    path("admin/", admin.site.urls),
    path("", include("bulletins.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
