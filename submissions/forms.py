"""The portal's submission form: bounded text, at most a few pictures, or a .docx/.txt file."""

from pathlib import Path

from django import forms
from django.conf import settings

from bulletins.images import ImageRejected, check_alt_text, prepare_image
from bulletins.importer.errors import ImportFailed
from bulletins.importer.readers import extract_text
from bulletins.models import Section
from bulletins.sanitize import (
    MAX_BODY_CHARS,
    BodyRejected,
    html_to_text,
    paragraphs_to_html,
    sanitize_html,
    single_line,
)

from .models import Submission

PICTURE_SLOTS = 3


def max_body_chars():
    return getattr(settings, "SUBMISSION_MAX_BODY_CHARS", 20_000)


def max_pictures():
    return getattr(settings, "SUBMISSION_MAX_PICTURES", 6)


def max_file_bytes():
    return getattr(settings, "SUBMISSION_MAX_FILE_BYTES", 2 * 1024 * 1024)


def read_attachment(upload):
    """The text of an uploaded .docx or .txt file, through the importer's reader (its archive and paragraph limits)."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".docx", ".txt"):
        raise forms.ValidationError("只能上传 .docx 或 .txt 文件。")
    if upload.size > max_file_bytes():
        raise forms.ValidationError(f"文件太大：不能超过 {max_file_bytes() // (1024 * 1024)} MB。")
    data = upload.read(max_file_bytes() + 1)
    try:
        return extract_text(data, filename=upload.name)
    except ImportFailed as error:
        raise forms.ValidationError(str(error)) from None


class SubmissionForm(forms.ModelForm):
    body = forms.CharField(
        label="正文", required=False, widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每段一行。也可以不填，改为上传 Word（.docx）或文本（.txt）文件。",
    )
    attachment = forms.FileField(label="正文文件", required=False,
                                 help_text="可选：.docx 或 .txt；上传后正文取自文件。")

    field_order = ["title", "body", "attachment", "date_text", "section_wanted", "writer", "writer_phone", "approver"]

    class Meta:
        model = Submission
        fields = ["title", "date_text", "section_wanted", "writer", "writer_phone", "approver"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_wanted"].queryset = Section.objects.order_by("order", "id")
        self.fields["section_wanted"].empty_label = "（不指定）"
        if self.instance.pk:
            self.fields["body"].initial = html_to_text(self.instance.body)
        for number in range(1, PICTURE_SLOTS + 1):
            self.fields[f"picture_{number}"] = forms.FileField(label=f"图片{number}", required=False)
            self.fields[f"alt_{number}"] = forms.CharField(
                label=f"图片{number}说明", required=False, max_length=200,
                help_text="有图片时必填：一句话说明图片内容。",
            )

    def picture_fields(self):
        return [(self[f"picture_{n}"], self[f"alt_{n}"]) for n in range(1, PICTURE_SLOTS + 1)]

    def clean_title(self):
        title = single_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("请填写标题。")
        return title

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if len(body) > max_body_chars():
            raise forms.ValidationError(f"正文太长：不能超过 {max_body_chars()} 字（现在 {len(body)} 字）。")
        return body

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return read_attachment(upload) if upload else ""

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("attachment") or cleaned.get("body") or ""
        if len(text) > max_body_chars():
            self.add_error("attachment", f"文件中的正文太长：不能超过 {max_body_chars()} 字。")
        elif not text.strip() and "body" in cleaned:
            self.add_error("body", "请填写正文，或上传正文文件。")
        cleaned["body_html"] = self._body_html(text)
        cleaned["prepared_pictures"] = self._clean_pictures()
        return cleaned

    def _body_html(self, text):
        """The text as sanitised HTML, refused like any entry body; escaping can make it 6 times longer."""
        try:
            return sanitize_html(paragraphs_to_html(text.splitlines()))
        except BodyRejected as error:
            field = "attachment" if self.cleaned_data.get("attachment") else "body"
            message = error.messages[0]
            if error.code in ("body_too_long", "body_grows"):
                message = (f"正文转换为网页格式后超过{MAX_BODY_CHARS}字符的上限：&、<、> 和不换行空格等符号"
                           "各要占 4 到 6 个字符。请删减这些符号或正文后再提交。")
            self.add_error(field, message)
            return ""

    def _clean_pictures(self):
        prepared = []
        for number in range(1, PICTURE_SLOTS + 1):
            upload = self.cleaned_data.get(f"picture_{number}")
            if not upload:
                continue
            try:
                alt_text = check_alt_text(self.cleaned_data.get(f"alt_{number}"))
                prepared.append((upload, alt_text, prepare_image(upload)))
            except ImageRejected as error:
                self.add_error(f"picture_{number}", str(error))
        existing = self.instance.pictures.count() if self.instance.pk else 0
        if existing + len(prepared) > max_pictures():
            self.add_error(None, f"每篇信息最多 {max_pictures()} 张图片（已有 {existing} 张），请减少图片。")
        return prepared


class DecisionForm(forms.Form):
    """退回修改 / 不采用 in the inbox: the comment the correspondent will read."""

    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
