"""通报 in the admin: per unit and period, a printable page with a red masthead, CSV, .xlsx, a chart."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from bulletins.admin.export import attachment_header
from bulletins.models import SiteSettings
from bulletins.svg_charts import bar_chart

from .. import report_export
from ..scoring import KINDS, build_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="周期", choices=[("month", "月"), ("quarter", "季度"), ("year", "年")])
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="月份或季度", min_value=1, max_value=12, required=False,
                                help_text="按月填1-12，按季度填1-4；按年不填。")

    def clean(self):
        data = super().clean()
        kind, number = data.get("kind"), data.get("number") or 1
        if kind == "quarter" and number > 4:
            self.add_error("number", "季度只能是1-4。")
        data["number"] = 1 if kind == "year" else number
        return data


def _defaults():
    today = timezone.localdate()
    return {"kind": "month", "year": today.year, "number": today.month}


def report_view(request):
    if not request.user.has_perm("submissions.view_report"):
        raise PermissionDenied
    form = ReportForm({**_defaults(), **{k: v for k, v in request.GET.items() if v}})
    data = form.cleaned_data if form.is_valid() else _defaults()
    report = build_report(data["kind"], data["year"], data["number"])
    name = f"信息工作考评通报-{report.label}"
    fallback = f"report-{report.kind}-{report.year}-{report.number}"
    output = request.GET.get("format")
    if output == "csv":
        response = HttpResponse(report_export.to_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = attachment_header(f"{name}.csv", f"{fallback}.csv")
        return response
    if output == "xlsx":
        response = HttpResponse(report_export.to_xlsx(report), content_type=XLSX)
        response["Content-Disposition"] = attachment_header(f"{name}.xlsx", f"{fallback}.xlsx")
        return response
    charts = [
        bar_chart("adopted", f"各单位采用篇数（{report.label}）",
                  [(row.unit.name, row.adopted) for row in sorted(report.rows, key=lambda r: -r.adopted)], unit="篇"),
        bar_chart("submitted", f"各单位报送篇数（{report.label}）",
                  [(row.unit.name, row.submitted) for row in sorted(report.rows, key=lambda r: -r.submitted)],
                  unit="篇"),
    ]
    context = {**admin.site.each_context(request), "title": f"信息工作考评通报（{report.label}）", "form": form,
               "report": report, "charts": charts, "query": request.GET.urlencode(), "kinds": KINDS,
               "site_settings": SiteSettings.load(), "today": timezone.localdate()}
    template = "admin/submissions/report_print.html" if output == "print" else "admin/submissions/report.html"
    return TemplateResponse(request, template, context)
