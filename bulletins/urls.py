from django.urls import path

from . import search_views, views

app_name = "bulletins"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.issue_list, name="issue_list"),
    path("issues/<int:year>/<int:number>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:year>/<int:number>/print/", views.issue_print, name="issue_print"),
    path("sections/<slug:slug>/", views.section_entries, name="section"),
    path("people/<int:pk>/", views.person_entries, name="person"),
    path("units/<int:pk>/", views.unit_entries, name="unit"),
    path("search/", search_views.search_view, name="search"),
]
