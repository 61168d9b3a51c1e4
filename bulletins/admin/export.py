"""导出Word: download an issue as a .docx 简报."""

from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers

from bulletins.export_docx import MIME_TYPE, filename, issue_to_docx
from bulletins.models import Issue

from .permissions import require_view_issue


def attachment_header(name, fallback):
    """Content-Disposition with an ASCII fallback and the real (Chinese) name per RFC 5987."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def export_docx_view(request, pk):
    require_view_issue(request)
    issue = get_object_or_404(Issue, pk=pk)
    response = HttpResponse(issue_to_docx(issue), content_type=MIME_TYPE)
    response["Content-Disposition"] = attachment_header(filename(issue), f"{issue.year}-{issue.number}.docx")
    add_never_cache_headers(response)
    return response
