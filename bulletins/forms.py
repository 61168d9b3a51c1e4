from ckeditor.widgets import CKEditorWidget
from django import forms

from .models import Entry


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["section", "order", "date_text", "event_date", "body"]
        widgets = {"body": CKEditorWidget()}
