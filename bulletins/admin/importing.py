"""从文件导入 in the admin: paste or upload → preview → 确认导入 creates a draft, 取消 writes nothing.

The preview carries the extracted text in a hidden field and the confirm step parses it again,
so nothing is kept on the server between the two steps.
"""

from pathlib import Path
from urllib.parse import urlencode

import reversion
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts import audit
from accounts.models import AuditEvent
from bulletins.importer import SUFFIXES, ImportFailed, extract_text, parse_text
from bulletins.importer.writer import existing_issue, import_issue
from bulletins.linking import Registry, find_mentions, link_entry, suggest_new_people
from bulletins.models import Issue
from bulletins.revisions import save_revision

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def add_person_url(suggestion):
    """The admin's add-person form, filled in with the suggested name and title."""
    query = urlencode({"name": suggestion.name, "title": suggestion.title})
    return f"{reverse('admin:bulletins_person_add')}?{query}"


def link_saved_entries(request, entries):
    """After an entry is saved in the admin: link the people and units it names, and offer
    title-plus-name patterns that match no registry person as new people (never added silently)."""
    registry = Registry.load()
    suggestions = []
    for entry in entries:
        link_entry(entry, registry=registry)
        suggestions += [s for s in suggest_new_people(entry.plain_text, registry) if s not in suggestions]
    new = [s for s in suggestions if s.registered is None]
    slips = [s for s in suggestions if s.registered is not None]
    if new:
        links = format_html_join(
            "；", '<a href="{}" target="_blank" rel="noopener">{}{}</a>',
            ((add_person_url(s), s.title, s.name) for s in new),
        )
        messages.warning(request, format_html("正文中有人物名录里没有的人：{}。如属实，请点击加入名录。", links))
    if slips:
        typos = format_html_join("；", "“{}”疑为名录中的“{}”", ((s.text, s.registered) for s in slips))
        messages.error(request, format_html("正文中的人名疑似写错：{}。请改正正文，不要加入名录。", typos))


class ImportForm(forms.Form):
    text = forms.CharField(label="粘贴文本", required=False, widget=forms.Textarea(attrs={"rows": 16, "cols": 90}))
    upload = forms.FileField(label="或上传文件", required=False, help_text="支持 .txt（UTF-8）、.docx、.html 文件。")

    def clean(self):
        text, upload = self.cleaned_data.get("text", "").strip(), self.cleaned_data.get("upload")
        if bool(text) == bool(upload):
            raise forms.ValidationError("请粘贴文本或上传一个文件（二选一）。")
        if upload:
            if Path(upload.name).suffix.lower() not in SUFFIXES:
                raise forms.ValidationError(f"不支持“{upload.name}”，请上传 .txt、.docx 或 .html 文件。")
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("文件超过10MB，请拆分后再导入。")
            try:
                text = extract_text(upload.read(), filename=upload.name)
            except ImportFailed as error:
                raise forms.ValidationError(str(error)) from None
        self.cleaned_data["source_text"] = text
        self.cleaned_data["filename"] = upload.name if upload else ""
        return self.cleaned_data


def _preview(parsed):
    registry = Registry.load()
    date = timezone.localdate(parsed.published_at) if parsed.published_at else None
    sections = []
    for section in parsed.sections:
        entries = []
        for entry in section.entries:
            mentions = find_mentions(entry.text, registry)
            entries.append({
                "entry": entry,
                "people": mentions.linked_people(),
                "units": mentions.linked_units(),
                "suggestions": suggest_new_people(entry.text, registry, date=date),
            })
        sections.append({"section": section, "entries": entries})
    return sections


def import_view(request):
    if not request.user.has_perm("bulletins.add_issue"):
        raise PermissionDenied
    context = {
        **admin.site.each_context(request),
        "opts": Issue._meta,
        "title": "从文件导入",
    }
    action = request.POST.get("action")
    if action == "cancel":
        messages.info(request, "已取消导入，没有写入任何内容。")
        return redirect("admin:bulletins_issue_changelist")
    if action == "confirm":
        return _confirm(request, context)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text, filename = form.cleaned_data["source_text"], form.cleaned_data["filename"]
        try:
            parsed = parse_text(text, filename=filename)
        except ImportFailed as error:
            form.add_error(None, str(error))
        else:
            return render(request, "admin/bulletins/issue/import_preview.html", {
                **context,
                "title": "导入预览",
                "parsed": parsed,
                "sections": _preview(parsed),
                "existing": existing_issue(parsed),
                "source_text": text,
                "filename": filename,
            })
    return render(request, "admin/bulletins/issue/import_form.html", {**context, "form": form})


def _confirm(request, context):
    filename = request.POST.get("filename", "")
    try:
        parsed = parse_text(request.POST.get("source_text", ""), filename=filename)
        with reversion.create_revision():
            issue = import_issue(parsed, status=Issue.Status.DRAFT, user=request.user, request=request)
            save_revision(issue, user=request.user, comment=f"从文件导入{'（' + filename + '）' if filename else ''}")
    except ImportFailed as error:
        audit.record("import", request=request, outcome=AuditEvent.Outcome.FAILURE, detail=str(error))
        form = ImportForm()
        return render(request, "admin/bulletins/issue/import_form.html", {**context, "form": form, "error": str(error)})
    messages.success(request, f"已导入为草稿：{issue}，共{issue.entries.count()}条。请核对后提交审核。")
    return redirect(reverse("admin:bulletins_issue_change", args=[issue.pk]))
