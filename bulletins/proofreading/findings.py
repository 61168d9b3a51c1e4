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
    code: str = ""  # which check found it: title, near_name, punctuation, near_repeat, wording, date, empty, repeat, image_alt, error
    where: str = ""  # where in the issue, e.g. “领导活动 第2条”
    fix: tuple = ()  # edits that apply the suggestion to the entry's text (proofreading.fixes)
    fix_key: str = ""  # names the fix among the entry's findings, for the one-click fix
    at: tuple = ()  # offsets in the entry's plain text the finding points at

    @property
    def is_blocking(self):
        return self.severity == BLOCKING

    @property
    def severity_label(self):
        return "须改" if self.is_blocking else "提示"
