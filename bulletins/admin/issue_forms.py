"""Admin forms of an issue and of an entry on its own page, each guarded by the issue's version,
and of an entry among the issue page's inlines."""

from django import forms

from bulletins import workflow
from bulletins.forms import EntryForm
from bulletins.models import Issue


class IssueVersionGuard:
    """The one form-conflict check: the issue re-read under a row lock must still be at the
    version the page was opened at. The admin runs the whole save in one transaction, so the
    lock holds until it commits; `conflict` is the newer issue, for the page's notice."""

    version_field = "expected_version"

    def check_version(self, cleaned, issue_id, *, message):
        self.conflict = None
        current = Issue.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=issue_id)
        if cleaned.get(self.version_field) != current.version:
            self.conflict = current
            raise forms.ValidationError(message(current) + "请重新打开本页，在最新内容上再修改。", code="conflict")


class IssueForm(IssueVersionGuard, forms.ModelForm):
    """The issue form carries the version it was read at; a save over a newer version is refused."""

    expected_version = forms.IntegerField(label="期刊版本", widget=forms.HiddenInput, required=False)
    public_correction_note = forms.CharField(
        label="更正说明（公开）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="更正已发布的期刊时可填写，保存后显示在公开页面标题下方，并注明更正日期；留空则只记录在历史中。",
    )

    class Meta:
        model = Issue
        fields = ["year", "number", "title", "source", "dated_at", "report_to", "send_to", "issue_to", "print_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
        widgets = getattr(self.fields["dated_at"].widget, "widgets", ()) if "dated_at" in self.fields else ()
        for time_widget in widgets[1:]:
            time_widget.format = "%H:%M:%S"  # the zh-hans default drops the seconds of an imported 时间

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_version(cleaned, self.instance.pk, message=lambda current: (
                f"保存失败：这一期已被{workflow.describe_change(current)}修改，您的修改没有保存，以免覆盖对方的内容。"))
        return cleaned


class EntryAdminForm(IssueVersionGuard, EntryForm):
    """An entry edited on its own page is part of its issue: the issue's version guards it too."""

    version_field = "expected_issue_version"
    expected_issue_version = forms.IntegerField(label="期刊版本", widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["expected_issue_version"].initial = self.instance.issue.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self.check_version(cleaned, self.instance.issue_id, message=lambda current: (
                f"保存失败：“{current}”已被{workflow.describe_change(current)}修改，您的修改没有保存。"))
        return cleaned


class EntryInlineForm(EntryForm):
    """An entry among the issue page's inlines. A save posts every entry back; one its editor did not
    change is not saved (the formset skips it), so it is not checked against the model's rules
    either: its stored row met them, and the check cost each unchanged entry three queries."""

    def _post_clean(self):
        if self.instance.pk and not self.has_changed():
            return
        super()._post_clean()
