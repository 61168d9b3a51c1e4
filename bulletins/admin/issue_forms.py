"""Admin forms of an issue and of an entry on its own page, each guarded by the issue's version."""

from django import forms

from bulletins import workflow
from bulletins.forms import EntryForm
from bulletins.models import Issue

class IssueForm(forms.ModelForm):
    """The issue form carries the version it was read at; a save over a newer version is refused."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Issue
        fields = ["year", "number", "title", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The admin runs the whole save in one transaction, so this lock holds until it commits.
            current = (
                Issue.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
            )
            if cleaned.get("expected_version") != current.version:
                self.conflict = current
                raise forms.ValidationError(
                    f"保存失败：这一期已被{workflow.describe_change(current)}修改，您的修改没有保存，以免覆盖对方的内容。"
                    "请重新打开本页，在最新内容上再修改。",
                    code="conflict",
                )
        return cleaned


class EntryAdminForm(EntryForm):
    """An entry edited on its own page is part of its issue: the issue's version guards it too."""

    expected_issue_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_issue_version"].initial = self.instance.issue.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            issues = Issue.objects.select_for_update(of=("self",)).select_related("updated_by")
            current = issues.get(pk=self.instance.issue_id)
            if cleaned.get("expected_issue_version") != current.version:
                self.conflict = current
                raise forms.ValidationError(
                    f"保存失败：“{current}”已被{workflow.describe_change(current)}修改，您的修改没有保存。"
                    "请重新打开本页，在最新内容上再修改。",
                    code="conflict",
                )
        return cleaned
