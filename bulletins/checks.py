"""Proofreading (校对) of an issue before submit and sign-off.

Interface used by the workflow: `run_checks(issue) -> list[Finding]`, and
`blocking(findings)` for the ones that stop sign-off. The proofreading issue fills in the
checks themselves.
"""

from dataclasses import dataclass

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str  # BLOCKING or WARNING
    message: str  # what is wrong, in Chinese
    entry: object = None  # the Entry it concerns, or None for the whole issue
    text: str = ""  # the offending text as written
    suggestion: str = ""  # the suggested fix, where there is one

    @property
    def is_blocking(self):
        return self.severity == BLOCKING


def run_checks(issue):
    return []


def blocking(findings):
    return [finding for finding in findings if finding.is_blocking]
