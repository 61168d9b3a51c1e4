"""The admin site: Django's, with a user's app list (the sidebar on every page) worked out once per set of rights.

Django builds the app list afresh on every admin page: each registered model's permission checks
(about 40 has_perm calls) and its URLs. The list depends only on who the user is and what they may
do, so it is kept per user, permissions and flags; granting or removing a right (directly or
through a group) gives another key, so a changed list shows on the next request. The cache only
spares building the sidebar: every view still checks the permissions itself.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix
from django.utils.translation import get_language

MAX_APP_LISTS = 500


class WenmingAdminSite(admin.AdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)
        self._app_lists = {}

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        key = (*_rights(request.user), get_language(), get_script_prefix())
        app_list = self._app_lists.get(key)
        if app_list is None:
            app_list = super().get_app_list(request)
            if len(self._app_lists) >= MAX_APP_LISTS:
                self._app_lists.clear()
            self._app_lists[key] = app_list
        # Copies, so that a view adding to its page's list changes nobody else's.
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]


def _rights(user):
    """What the ModelAdmins' has_*_permission(request) read: the user's flags and permissions."""
    flags = user.pk, user.is_active, user.is_staff, user.is_superuser
    if not user.is_active or user.is_superuser:  # none, or all (without asking the database for their names)
        return *flags, None
    return *flags, frozenset(user.get_all_permissions())


class WenmingAdminConfig(AdminConfig):
    default_site = "wenming.admin_site.WenmingAdminSite"
