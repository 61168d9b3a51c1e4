"""The 通报 as CSV and .xlsx: every text cell neutralised so a spreadsheet never runs it as a formula."""

import csv
import io


HEADER = ["名次", "单位", "报送篇数", "采用篇数", "采用率（%）", "得分", "未完成定额周期数", "考评周期数"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table(report):
    for row in report.rows:
        yield [row.rank, row.unit.name, row.submitted, row.adopted,
               float(row.rate) if row.rate is not None else "", float(row.points), row.below_quota, row.periods]


def to_csv(report):
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for values in table(report):
        writer.writerow([neutralise(value) for value in values])
    return out.getvalue().encode("utf-8")


def to_xlsx(report):
    from openpyxl import Workbook  # 0.2 s to import: only when a report is downloaded as Excel

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "通报"
    sheet.append([f"信息工作考评通报（{report.label}）"])
    sheet.append(HEADER)
    for values in table(report):
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula
    sheet.column_dimensions["B"].width = 30
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
