from ckeditor.widgets import CKEditorWidget
from django import forms

from .models import Entry
from .sanitize import check_body


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["section", "order", "date_text", "event_date", "body"]
        widgets = {"body": CKEditorWidget()}

    def clean_body(self):
        body = self.cleaned_data.get("body")
        check_body(body)
        return body
