"""Every audit action the code records has a Chinese label in `accounts.audit.ACTION_LABELS`.

The actions are collected from the source: every call `record(...)` / `audit.record(...)` whose
first argument is a string literal, or an f-string `"workflow.{action}"` (expanded over the
workflow's actions).
"""

import ast
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings

from accounts.audit import ACTION_LABELS, action_label, object_type_label
from accounts.roles import AUDITOR, EDITOR
from bulletins import workflow
from bulletins.models import IssueTransition
from submissions.models import SubmissionTransition

from .factories import make_issue, make_staff

APPS = ("accounts", "bulletins", "submissions", "wenming")


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
                    actions = {"workflow.": IssueTransition.Action.values,
                               "submission.": SubmissionTransition.Action.values}
                    assert prefix in actions, f"{path}: f-string audit action {ast.unparse(first)} unknown"
                    for action in actions[prefix]:
                        found.setdefault(f"{prefix}{action}", path.name)
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


# The other parts' records, read by the auditor --------------------------------------------

@pytest.fixture
def auditor_client(client):
    client.force_login(make_staff(AUDITOR))
    return client


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.django_db
def test_auditor_reads_a_workflow_transition_in_chinese(auditor_client):
    issue = make_issue()
    workflow.submit(issue, by=make_staff(EDITOR))
    page = auditor_client.get("/admin/accounts/auditevent/?action=workflow.submit").content.decode()
    assert "提交审核" in page and str(issue) in page


@pytest.mark.django_db
def test_csv_names_the_object_type_in_chinese(auditor_client):
    issue = make_issue()
    workflow.submit(issue, by=make_staff(EDITOR))
    rows = _csv(auditor_client.get("/admin/accounts/auditevent/export/?action=workflow.submit"))
    assert rows[1][3:7] == ["提交审核", "期刊", str(issue.pk), str(issue)]


def test_object_type_label_keeps_an_unknown_label():
    assert object_type_label("gone.Model") == "gone.Model" and object_type_label("") == ""


@pytest.mark.django_db
def test_a_record_is_named_by_local_time_and_chinese_action():
    import datetime

    from .factories import make_audit_event

    event = make_audit_event("import", username="", created_at=datetime.datetime(2026, 5, 1, 2, 0, tzinfo=datetime.UTC))
    assert str(event) == "2026-05-01 10:00:00 导入简报"
