"""Admin pages beyond the model admin: 校对, 导出Word, 概览. Included before admin.site.urls."""

from django.contrib import admin
from django.urls import path

from .export import export_docx_view
from .overview import overview_view
from .proofreading import fix_view, proofread_view

app_name = "bulletins_admin"

urlpatterns = [
    path("bulletins/issue/<int:pk>/proofread/", admin.site.admin_view(proofread_view), name="issue_proofread"),
    path("bulletins/issue/<int:pk>/proofread/fix/", admin.site.admin_view(fix_view), name="issue_proofread_fix"),
    path("bulletins/issue/<int:pk>/export.docx", admin.site.admin_view(export_docx_view), name="issue_export_docx"),
    path("overview/", admin.site.admin_view(overview_view), name="overview"),
]
