"""The entry body's editor: CKEditor 4, started only when a person reaches the field.

Thirteen CKEditor instances starting together kept the issue page busy for seconds. The lazy
widget renders each body as a preview of its HTML beside the untouched textarea; the editor
starts when the field is focused, clicked or scrolled into view, one at a time
(static/bulletins/admin/lazy-editors.js). A body whose editor never started, or started and was
not edited, is posted back exactly as stored. LAZY_ENTRY_EDITORS = False restores the stock
widget, which starts every editor on load (bench/editor.py measures both).
"""

from ckeditor.widgets import CKEditorWidget, Script
from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from .sanitize import BodyRejected, sanitize_html


class BodyField(forms.CharField):
    """An entry body as posted: browsers send a textarea's line breaks as CR LF, the body keeps LF."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def has_changed(self, initial, data):
        # Compared as the browser posts it back, so a body nobody touched is not saved again.
        return self.to_python(initial or "") != self.to_python(data)


class LazyCKEditorWidget(CKEditorWidget):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stock_template_name = self.template_name

    @property
    def lazy(self):
        return getattr(settings, "LAZY_ENTRY_EDITORS", True)

    @property
    def media(self):
        media = super().media
        if not self.lazy:
            return media
        basepath = getattr(settings, "CKEDITOR_BASEPATH", None) or static("ckeditor/ckeditor/")
        # Replaces the stock ckeditor-init.js, which starts every editor on load; CKEditor itself
        # (760 KB of script) and django-ckeditor's styles for it are loaded by it when the first
        # editor starts.
        return forms.Media(
            css={"all": ["bulletins/admin/lazy-editors.css"]},
            js=[Script("bulletins/admin/lazy-editors.js", id="ckeditor-init-script", **{
                "data-ckeditor-basepath": basepath,
                "data-ckeditor-src": static("ckeditor/ckeditor/ckeditor.js"),
                "data-fixups-src": static("ckeditor/fixups.js"),
                "data-styles-href": static("ckeditor/ckeditor.css"),
            })],
        )

    def get_context(self, name, value, attrs):
        self.template_name = "bulletins/widgets/lazy_editor.html" if self.lazy else self.stock_template_name
        context = super().get_context(name, value, attrs)
        if self.lazy:
            context["widget"]["preview"] = preview(value or "")
        return context


def preview(value):
    """The body as the preview shows it; after a refused save the value is what was posted, so sanitised."""
    try:
        return mark_safe(sanitize_html(value))  # noqa: S308 (sanitised)
    except BodyRejected:
        return "（正文过长或嵌套过深，无法预览，请点击此处在编辑器中修改。）"
