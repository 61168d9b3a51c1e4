from django.contrib.sitemaps.views import sitemap
from django.urls import path


from . import search_views, views
from .feeds import LatestIssuesAtomFeed, LatestIssuesFeed
from .public_cache import public_page
from .sitemaps import SITEMAPS

app_name = "bulletins"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:year>/<int:number>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:year>/<int:number>/print/", views.issue_print, name="issue_print"),
    path("issues/<int:year>/<int:number>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("sections/<slug:slug>/", views.section_entries, name="section"),
    path("people/<int:pk>/", views.person_entries, name="person"),
    path("units/<int:pk>/", views.unit_entries, name="unit"),
    path("search/", search_views.search_view, name="search"),
    path("feed/", public_page()(LatestIssuesFeed()), name="feed"),
    path("feed/atom/", public_page()(LatestIssuesAtomFeed()), name="feed_atom"),
]

# Outside the app namespace: django.contrib.sitemaps and robots.txt look for these names.
crawler_urlpatterns = [
    path("sitemap.xml", public_page(params=("p",))(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
