"""Every audit action the code records has a Chinese label in `accounts.audit.ACTION_LABELS`.

The actions are collected from the source: every call `record(...)` / `audit.record(...)` whose
first argument is a string literal, or an f-string `"workflow.{action}"` (expanded over the
workflow's actions).
"""

import ast
from pathlib import Path

from django.conf import settings

from accounts.audit import ACTION_LABELS, action_label
from bulletins.models import IssueTransition

APPS = ("accounts", "bulletins", "wenming")


def _recorded_actions():
    found = {}
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "record":
                    continue
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.setdefault(first.value, path.name)
                elif isinstance(first, ast.JoinedStr):
                    prefix = "".join(part.value for part in first.values if isinstance(part, ast.Constant))
                    assert prefix == "workflow.", f"{path}: f-string audit action {ast.unparse(first)} unknown"
                    for action in IssueTransition.Action.values:
                        found.setdefault(f"workflow.{action}", path.name)
    return found


def test_the_source_records_the_known_actions_of_every_part():
    recorded = _recorded_actions()
    for action in ("login", "account.create", "workflow.submit", "workflow.override", "workflow.restore",
                   "workflow.correct", "import", "image.upload", "audit.export"):
        assert action in recorded


def test_every_recorded_action_has_a_chinese_label():
    missing = sorted(action for action in _recorded_actions() if action not in ACTION_LABELS)
    assert missing == []


def test_every_label_belongs_to_an_action_the_code_records():
    unused = sorted(set(ACTION_LABELS) - set(_recorded_actions()))
    assert unused == []


def test_workflow_labels_match_the_transition_log():
    for action, label in IssueTransition.Action.choices:
        assert action_label(f"workflow.{action}") == label


def test_labels_are_chinese():
    assert all(any("\u4e00" <= char <= "\u9fff" for char in label) for label in ACTION_LABELS.values())
