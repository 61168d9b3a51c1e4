"""Words from the editable list of wrong, outdated and sensitive forms (WordRule)."""

from bulletins.models import WordRule

from .findings import BLOCKING, WARNING, Finding


def _occurrences(text, rule):
    start = text.find(rule.wrong)
    while start != -1:
        # A right form that contains the wrong one (e.g. 十四五规划 in “十四五”规划) is not a hit.
        offset = rule.right.find(rule.wrong) if rule.right else -1
        if offset == -1 or text[start - offset:start - offset + len(rule.right)] != rule.right:
            yield start
        start = text.find(rule.wrong, start + 1)


def check_wording(context, rules=None):
    rules = list(WordRule.objects.filter(is_active=True)) if rules is None else rules
    for checked in context.entries:
        for rule in rules:
            for _ in _occurrences(checked.text, rule):
                kind = "须改" if rule.severity == BLOCKING else "建议修改"
                message = f"不规范表述（{kind}）：“{rule.wrong}”"
                message += f"，应为“{rule.right}”。" if rule.right else "。"
                if rule.note:
                    message += rule.note
                yield Finding(
                    severity=BLOCKING if rule.severity == BLOCKING else WARNING, code="wording",
                    entry=checked.entry, where=checked.where, text=rule.wrong, message=message,
                    suggestion=rule.right,
                )
