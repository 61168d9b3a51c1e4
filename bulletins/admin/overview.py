"""概览 for the creation office: entries per unit, section and month; units not reported lately."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from bulletins import overview
from bulletins.svg_charts import bar_chart
from wenming import spreadsheet

from .export import attachment_header
from .permissions import require_view_issue

DEFAULT_LAST = 3
CHARTS = {"units": ("各单位条目数", "单位"), "sections": ("各栏目条目数", "栏目"), "months": ("每月条目数", "月份")}


def default_period(today=None):
    """The latest year that has published issues (up to today); the last twelve months if none has."""
    today = today or timezone.localdate()
    year = overview.latest_year()
    if year is not None:
        return datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    start_year, start_month = (today.year, today.month - 11) if today.month == 12 else (today.year - 1, today.month + 1)
    return datetime.date(start_year, start_month, 1), today


class OverviewForm(forms.Form):
    start = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.IntegerField(label="最近期数", required=False, min_value=1, max_value=100,
                              help_text="列出在最近这么多期里没有出现的单位。")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data

    def values(self, default_start, default_end):
        """(start, end, last): the valid choices, defaults for what is missing or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or default_start, data.get("end") or default_end, data.get("last") or DEFAULT_LAST


def _rows(key, issues, start, end):
    if key == "units":
        return overview.entries_per_unit(issues)
    if key == "sections":
        return overview.entries_per_section(issues)
    return overview.entries_per_month(issues, start, end)


def _csv_response(rows, header, name):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = spreadsheet.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    response["Content-Disposition"] = attachment_header(name, name)
    return response


def _quiet_rows(units):
    return [(unit.name, unit.get_kind_display(), timezone.localtime(unit.last_seen).date().isoformat()
             if unit.last_seen else "从未出现",
             timezone.localtime(unit.last_submitted).date().isoformat() if unit.last_submitted else "从未报送")
            for unit in units]


def overview_view(request):
    require_view_issue(request)
    default_start, default_end = default_period()
    defaults = {"start": default_start.isoformat(), "end": default_end.isoformat(), "last": DEFAULT_LAST}
    form = OverviewForm({**defaults, **{key: value for key, value in request.GET.items() if value}})
    start, end, last = form.values(default_start, default_end)
    issues = overview.published_between(start, end)
    if request.GET.get("format") == "csv":
        key = request.GET.get("chart", "")
        period = f"{start.isoformat()}_{end.isoformat()}"
        if key in CHARTS:
            return _csv_response(_rows(key, issues, start, end), [CHARTS[key][1], "条目数"],
                                 f"overview-{key}-{period}.csv")
        if key == "quiet":
            units, _ = overview.units_not_reported(last)
            return _csv_response(_quiet_rows(units), ["单位", "类别", "最近一次出现", "最近一次报送"], f"overview-quiet-last{last}.csv")
        raise Http404("没有这个统计图。")
    charts = [bar_chart(key, title, _rows(key, issues, start, end), latest=key == "months")
              for key, (title, _) in CHARTS.items()]
    quiet_units, recent = overview.units_not_reported(last)
    context = {
        **admin.site.each_context(request),
        "title": "创建工作概览",
        "form": form,
        "start": start,
        "end": end,
        "last": last,
        "issue_count": issues.count(),
        "charts": charts,
        "quiet_units": quiet_units,
        "recent_issues": recent,
        "query": urlencode({"start": start.isoformat(), "end": end.isoformat(), "last": last}),
    }
    return TemplateResponse(request, "admin/overview.html", context)
