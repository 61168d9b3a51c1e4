"""Included under /admin/ before the admin's own URLs, so these paths win."""

from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path

from . import views

urlpatterns = [
    path("password_change/", staff_member_required(views.PasswordChangeView.as_view()), name="password_change"),
    path("profile/", views.profile, name="profile"),
]
