"""Proofreading (校对) of an issue before submit and sign-off.

Interface for the workflow and the admin:

- `run_checks(issue) -> list[Finding]`: every finding, blocking ones first, in the order of
  the issue's entries. Each `Finding` has `severity` (BLOCKING or WARNING), `message`
  (Chinese), `entry` (or None for the whole issue), `where` (“领导活动 第2条”), `text` (as
  written), `suggestion` and `code` (which check found it).
- `blocking(findings)`: the findings that stop sign-off unless the signer overrides them.
- `format_findings(findings) -> str`: one Chinese line per finding, for messages and the
  audit log.

In the workflow, e.g. at sign-off:

    findings = run_checks(issue)
    if blocking(findings) and not override_reason:
        raise WorkflowError("存在须改的校对问题，不能签发：\n" + format_findings(blocking(findings)))

Checks (in `bulletins/proofreading/`): a registry person with a title not theirs at the
issue's date, a name one character off a registry name (titled or bare), punctuation
(GB/T 15834, with one-click fixes), the word list (WordRule), entry dates
(after the issue, long before the previous issue, unreadable), empty sections and entries,
entries repeated (or nearly, bulletins/nearcopies.py) from earlier published issues, images without alt text. A check that fails with an
error becomes a blocking finding itself, so nothing is ever silently skipped.
"""

import logging
from collections import Counter
from dataclasses import replace

from bulletins.names import PeopleIndex
from bulletins.proofreading import content, dates, near_repeats, punctuation, titles, wording
from bulletins.proofreading.context import issue_date, load
from bulletins.proofreading.findings import BLOCKING, WARNING, Finding

__all__ = ["BLOCKING", "WARNING", "Finding", "blocking", "format_findings", "run_checks"]

logger = logging.getLogger(__name__)


def _previous_issue_date(issue):
    previous = issue.older()
    return issue_date(previous) if previous else None


def _checks(context):
    registry = PeopleIndex.load()
    return [
        ("职务核对", lambda: titles.check_titles(context, registry)),
        ("人名核对", lambda: titles.check_near_names(context, registry)),
        ("规范表述", lambda: wording.check_wording(context)),
        ("标点", lambda: punctuation.check_punctuation(context)),
        ("日期核对", lambda: dates.check_dates(context, previous_date=_previous_issue_date(context.issue))),
        ("空栏目", lambda: content.check_empty(context)),
        ("重复条目", lambda: content.check_repeats(context)),
        ("近似重复", lambda: near_repeats.check_near_repeats(context)),
        ("图片说明", lambda: content.check_image_alt(context)),
    ]


def _merge_repeats(findings):
    """The same finding several times in one entry becomes one, with the count, never dropped."""
    counts = Counter(findings)
    merged = []
    for finding in dict.fromkeys(findings):
        if counts[finding] > 1:
            finding = replace(finding, message=f"{finding.message}（共{counts[finding]}处）")
        merged.append(finding)
    return merged


def run_checks(issue):
    context = load(issue)
    findings = []
    for label, check in _checks(context):
        try:
            findings.extend(check())
        except Exception:
            logger.exception("Proofreading check %s failed on issue %s", label, issue.pk)
            findings.append(Finding(
                severity=BLOCKING, code="error", message=f"校对项“{label}”运行出错，未能完成检查，请联系系统管理员。",
            ))
    order = {checked.entry.pk: index for index, checked in enumerate(context.entries)}
    findings = _merge_repeats(findings)
    return sorted(findings, key=lambda f: (not f.is_blocking, order.get(getattr(f.entry, "pk", None), -1)))


def blocking(findings):
    return [finding for finding in findings if finding.is_blocking]


def format_finding(finding):
    line = f"【{finding.severity_label}】"
    if finding.where:
        line += f"{finding.where}："
    line += finding.message
    if finding.text:
        line += f" 原文：“{finding.text}”"
    if finding.suggestion:
        line += f" 建议：{finding.suggestion}"
    return line


def format_findings(findings):
    return "\n".join(format_finding(finding) for finding in findings)
