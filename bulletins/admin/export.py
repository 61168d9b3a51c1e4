"""导出Word: download an issue as a .docx 简报."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from bulletins import render_box
from bulletins.export_docx import MIME_TYPE, filename, issue_to_docx
from bulletins.models import Issue

from .permissions import require_view_issue


def attachment_header(name, fallback):
    """Content-Disposition with an ASCII fallback and the real (Chinese) name per RFC 5987."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def export_docx_view(request, pk):
    require_view_issue(request)
    issue = get_object_or_404(Issue, pk=pk)
    try:
        data = issue_to_docx(issue)
    except render_box.Refused as refusal:
        # Back to the issue's page with the reason: the editor can shorten the entry or try later.
        messages.error(request, f"未能导出Word：{refusal.message}")
        return redirect(reverse("admin:bulletins_issue_change", args=[issue.pk]))
    response = HttpResponse(data, content_type=MIME_TYPE)
    response["Content-Disposition"] = attachment_header(filename(issue), f"{issue.year}-{issue.number}.docx")
    add_never_cache_headers(response)
    return response
