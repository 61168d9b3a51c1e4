"""Admin pages beyond the model admin: 校对, 导出Word, 概览, 通知, 回收站. Included before admin.site.urls."""

from django.contrib import admin
from django.urls import path

from .export import export_docx_view
from .notifications import notification_list_view, notification_mark_read_view, notification_open_view
from .overview import overview_view
from .proofreading import proofread_view
from .recycle_bin import recover_view, recycle_bin_view

app_name = "bulletins_admin"

urlpatterns = [
    path("bulletins/issue/<int:pk>/proofread/", admin.site.admin_view(proofread_view), name="issue_proofread"),
    path("bulletins/issue/<int:pk>/export.docx", admin.site.admin_view(export_docx_view), name="issue_export_docx"),
    path("overview/", admin.site.admin_view(overview_view), name="overview"),
    path("notifications/", admin.site.admin_view(notification_list_view), name="notifications"),
    path("notifications/<int:pk>/open/", admin.site.admin_view(notification_open_view), name="notification_open"),
    path("recycle-bin/", admin.site.admin_view(recycle_bin_view), name="recycle_bin"),
    path("recycle-bin/<int:pk>/recover/", admin.site.admin_view(recover_view), name="recycle_bin_recover"),
    path("notifications/read/", admin.site.admin_view(notification_mark_read_view), name="notifications_read"),
]
