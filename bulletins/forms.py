from django import forms

from .editors import BodyField, LazyCKEditorWidget
from .models import Entry
from .sanitize import check_body


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["section", "order", "date_text", "event_date", "body"]
        field_classes = {"body": BodyField}
        widgets = {"body": LazyCKEditorWidget()}

    def clean_body(self):
        body = self.cleaned_data.get("body")
        check_body(body)
        if self.instance.pk and "body" not in self.changed_data:
            return self.instance.body  # untouched: kept byte for byte, even when another field changed
        return body
