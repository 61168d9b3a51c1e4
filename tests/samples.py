"""The sample issue (2023 第13期) and small texts in its format, for the importer's tests."""

from pathlib import Path

SAMPLE_PATH = Path(__file__).resolve().parent.parent / "bulletins" / "fixtures" / "bulletin-2023-13.txt"


def sample_text():
    return SAMPLE_PATH.read_text(encoding="utf-8")


def small_issue(*, year=2024, number=1, sections=None):
    """A short, well-formed issue text; `sections` maps a section name to its entry lines."""
    sections = sections or {"领导活动": ["●3月15日,市委常委、宣传部部长陶斌调研创文工作。"]}
    lines = [f"{year}年文明城市创建(第{number}期)", "", "来源:   时间: 2024-01-20 09:30:00", ""]
    for name, entries in sections.items():
        lines += [f"【{name}】", "", *entries, ""]
    return "\n".join(lines)
