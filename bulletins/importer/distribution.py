"""The closing block (版记) of a printed 简报, read from the end of an imported text.

    ──────────────────────
    报：市创建全国文明城市工作指挥部领导
    ──────────────────────
    送：市委、市人大、市政府、市政协领导同志
    发：各县（区）创文办，
        市级各部门
    ──────────────────────
    巴中市创文办              2023年4月6日印发
    （共印100份）

Only a block at the very end counts, so an entry that happens to start with “发：” stays an entry.
"""

import re
from dataclasses import dataclass

LABELS = {"报": "report_to", "抄报": "report_to", "送": "send_to", "抄送": "send_to", "发": "issue_to",
          "分送": "issue_to", "印发": "issue_to"}
LABEL_LINE = re.compile(r"^(?P<label>抄报|抄送|分送|印发|报|送|发)\s*[:：]\s*(?P<text>.*)$")
PRINT_RUN = re.compile(r"^[(（]?\s*共印\s*(?P<count>\d{1,6})\s*份\s*[)）]?$")
RULE = re.compile(r"^[-—─━_＿=＝~～·•\s]{3,}$")
ISSUED_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")
MAX_CONTINUATION = 60  # a wrapped 发 line is short; a longer line is an entry's paragraph
LOOK_BACK = 40  # lines from the end where a 版记 may start


@dataclass
class ParsedDistribution:
    report_to: str = ""
    send_to: str = ""
    issue_to: str = ""
    print_run: int | None = None

    @property
    def is_empty(self):
        return not (self.report_to or self.send_to or self.issue_to or self.print_run)


def _read(lines):
    """The distribution in `lines`, or None when one of them is not 版记 material."""
    found, field = ParsedDistribution(), None
    for line in lines:
        label = LABEL_LINE.match(line)
        run = PRINT_RUN.match(line)
        if label:
            field = LABELS[label["label"]]
            text = label["text"].strip()
            setattr(found, field, f"{getattr(found, field)}，{text}".strip("，") if getattr(found, field) else text)
        elif run:
            found.print_run, field = int(run["count"]), None
        elif RULE.match(line) or ISSUED_LINE.search(line):
            field = None
        elif field and len(line) <= MAX_CONTINUATION and not line.startswith(("●", "【")):
            setattr(found, field, getattr(found, field) + line)
        else:
            return None
    return None if found.is_empty else found


def split_distribution(numbered, *, is_furniture):
    """(body lines, distribution or None) for [(line number, text)]; page furniture after the block is ignored."""
    end = len(numbered)
    while end and is_furniture(numbered[end - 1][1]):
        end -= 1
    for start in range(max(0, end - LOOK_BACK), end):
        text = numbered[start][1]
        if not (LABEL_LINE.match(text) or RULE.match(text) or PRINT_RUN.match(text)):
            continue
        found = _read([line for _, line in numbered[start:end] if not is_furniture(line)])
        if found is not None:
            return numbered[:start], found
    return numbered, None
