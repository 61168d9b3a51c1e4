"""Horizontal bar charts drawn on the server as SVG (no JavaScript), with text for screen readers."""

from dataclasses import dataclass, field

LABEL_WIDTH = 210
BAR_AREA = 420
VALUE_WIDTH = 50
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 8
MAX_LABEL = 14


@dataclass
class Bar:
    label: str
    short_label: str
    value: int
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass
class BarChart:
    key: str
    title: str
    description: str
    rows: list
    bars: list = field(default_factory=list)
    width: int = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height: int = 0
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    hidden: int = 0  # rows left out of the drawing (all are in the table and the CSV)
    latest: bool = False  # the drawing keeps the last rows (a time series), not the first


def bar_chart(key, title, rows, *, limit=30, unit="条", latest=False):
    """A chart of `rows` [(label, value)]; at most `limit` bars, the rest only in the table and CSV.

    With `latest`, rows are in time order and the drawing keeps the most recent ones.
    """
    shown = rows[-limit:] if latest else rows[:limit]
    largest = max((value for _, value in shown), default=0)
    chart = BarChart(key=key, title=title, rows=rows, description=_describe(rows, unit), hidden=len(rows) - len(shown),
                     latest=latest)
    for index, (label, value) in enumerate(shown):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * value / largest) if largest else 0
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        chart.bars.append(Bar(label=label, short_label=short, value=value, y=y, width=width,
                              text_y=y + BAR_HEIGHT - 4, value_x=LABEL_WIDTH + width + 6))
    chart.height = TOP * 2 + max(len(shown), 1) * ROW_HEIGHT
    return chart


def _describe(rows, unit):
    if not rows:
        return "没有数据。"
    total = sum(value for _, value in rows)
    label, value = max(rows, key=lambda row: row[1])
    return f"共{len(rows)}项，合计{total}{unit}；最多的是{label}，{value}{unit}。"
