"""Separation of duties across the whole admin: every admin page × every role, allowed or refused.

One row per admin URL (the changelist and add page of every registered model, the object pages,
and the custom views the parts added); the columns are the five roles and a superuser. “ok” is a
page (200) or a redirect after a POST (302); “no” is 403. A new admin page must get a row here
(`test_every_admin_url_has_a_row` fails otherwise).
"""

import itertools

import pytest
import reversion
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import get_resolver
from reversion.models import Version

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, CORRESPONDENT, EDITOR, REVIEWER, SIGNER
from bulletins import recycle_bin
from bulletins.models import EntryImage, Notification, SiteSettings, WordRule
from bulletins.revisions import save_revision

from submissions.models import ScoringRule

from .factories import (make_audit_event, make_correspondent, make_entry, make_issue, make_person, make_staff,
                        make_submission, make_unit, section)
from .snapshot_support import sign_directly

pytestmark = pytest.mark.django_db

SUPERUSER = "超级用户"
# The 通讯员 works in the portal only: every admin URL refuses them (test_submissions_access.py
# covers the portal's URLs).
COLUMNS = [EDITOR, REVIEWER, SIGNER, ADMINISTRATOR, AUDITOR, CORRESPONDENT, SUPERUSER]
CONTENT = {EDITOR, REVIEWER, SIGNER, SUPERUSER}
EVERYONE = set(COLUMNS) - {CORRESPONDENT}
_numbers = itertools.count(1)


def _world(user):
    """The objects the URLs point at, made afresh for each role (POSTs change them)."""
    issue = make_issue()
    with reversion.create_revision(manage_manually=True):
        save_revision(issue, user=user, comment="新建")
    target = make_staff(EDITOR)
    n = next(_numbers)
    return {
        "issue": issue,
        "version": Version.objects.get_for_object(issue).first(),
        "entry": make_entry(issue),
        "section": section(),
        "person": make_person(name=f"张{n}"),
        "unit": make_unit(name=f"第{n}单位", short_names=""),
        "rule": WordRule.objects.create(wrong=f"错词{n}", right="对词"),
        "event": make_audit_event(),
        "target": target,
        "group": Group.objects.get(name=EDITOR),
        "settings": SiteSettings.load(),
        "attempt": AccessAttempt.objects.create(username=target.username, ip_address="10.1.1.1",
                                                failures_since_start=5),
        "notification": Notification.objects.create(recipient=user, text="《第1期》请审核"),
        "deleted": recycle_bin.keep(make_issue(), by=make_staff(EDITOR)),
        "image": EntryImage.objects.create(file="images/x.png", width=1, height=1, size=1, alt_text="图",
                                      uploaded_by=user),
        "submission": make_submission(make_correspondent(), state="submitted"),
        "scoring_rule": ScoringRule.objects.create(valid_from=f"{2000 + n % 90}-01-01"),
        "snapshot": sign_directly(make_issue()),  # another issue: a signed issue is never deleted
    }


# (method, URL pattern name, URL built from the world, POST data, roles allowed)
ROWS = [
    # Everyone on the staff
    ("GET", "admin:index", lambda w: "/admin/", None, EVERYONE),
    ("GET", "admin:profile", lambda w: "/admin/profile/", None, EVERYONE),
    ("GET", "admin:password_change", lambda w: "/admin/password_change/", None, EVERYONE),
    # Bulletins: issues and entries
    ("GET", "admin:bulletins_issue_changelist", lambda w: "/admin/bulletins/issue/", None, CONTENT),
    ("GET", "admin:bulletins_issue_add", lambda w: "/admin/bulletins/issue/add/", None, {EDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issue_change", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/change/", None,
     CONTENT),
    ("POST", "admin:bulletins_issue_change", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/change/",
     {"title": "改标题"}, {EDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issue_delete", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/delete/", None,
     {EDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issue_history", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/history/", None,
     CONTENT),
    ("GET", "admin:bulletins_issue_compare", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/history/compare/",
     None, CONTENT),
    ("POST", "admin:bulletins_issue_restore",
     lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/history/{w['version'].pk}/restore/", {}, {EDITOR, SUPERUSER}),
    ("POST", "admin:bulletins_issue_transition",
     lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/transition/submit/", {}, {EDITOR, SUPERUSER}),
    ("GET", "bulletins_admin:issue_proofread", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/proofread/", None,
     CONTENT),
    ("POST", "bulletins_admin:issue_proofread_fix", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/proofread/fix/",
     lambda w: {"entry": w["entry"].pk, "fix": "halfwidth", "expected_issue_version": w["issue"].version},
     {EDITOR, SUPERUSER}),
    ("GET", "bulletins_admin:issue_export_docx", lambda w: f"/admin/bulletins/issue/{w['issue'].pk}/export.docx",
     None, CONTENT),
    ("GET", "bulletins_admin:overview", lambda w: "/admin/overview/", None, CONTENT),
    # 回收站: whoever views issues sees the page (listing only what they may recover); recovering is
    # for the draft's editor or a signer (the world's draft was deleted by an editor, not by them)
    ("GET", "bulletins_admin:recycle_bin", lambda w: "/admin/recycle-bin/", None, CONTENT),
    ("POST", "bulletins_admin:recycle_bin_recover", lambda w: f"/admin/recycle-bin/{w['deleted'].pk}/recover/", {},
     {SIGNER, SUPERUSER}),
    # In-app notifications: everyone's own
    ("GET", "bulletins_admin:notifications", lambda w: "/admin/notifications/", None, EVERYONE),
    ("GET", "bulletins_admin:notification_open", lambda w: f"/admin/notifications/{w['notification'].pk}/open/",
     None, EVERYONE),
    ("POST", "bulletins_admin:notifications_read", lambda w: "/admin/notifications/read/", {"all": "1"}, EVERYONE),
    ("GET", "admin:bulletins_issue_import", lambda w: "/admin/bulletins/issue/import/", None, {EDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_entry_changelist", lambda w: "/admin/bulletins/entry/", None, CONTENT),
    ("GET", "admin:bulletins_entry_add", lambda w: "/admin/bulletins/entry/add/", None, CONTENT),
    ("GET", "admin:bulletins_entry_change", lambda w: f"/admin/bulletins/entry/{w['entry'].pk}/change/", None,
     CONTENT),
    # Registry
    ("GET", "admin:bulletins_section_changelist", lambda w: "/admin/bulletins/section/", None, CONTENT),
    ("GET", "admin:bulletins_section_add", lambda w: "/admin/bulletins/section/add/", None, CONTENT),
    ("GET", "admin:bulletins_person_changelist", lambda w: "/admin/bulletins/person/", None, CONTENT),
    ("GET", "admin:bulletins_person_add", lambda w: "/admin/bulletins/person/add/", None, CONTENT),
    ("GET", "admin:bulletins_unit_changelist", lambda w: "/admin/bulletins/unit/", None, CONTENT),
    ("GET", "admin:bulletins_unit_add", lambda w: "/admin/bulletins/unit/add/", None, CONTENT),
    # Word rules: editors read them, reviewers and signers keep them
    ("GET", "admin:bulletins_wordrule_changelist", lambda w: "/admin/bulletins/wordrule/", None, CONTENT),
    ("GET", "admin:bulletins_wordrule_add", lambda w: "/admin/bulletins/wordrule/add/", None,
     {REVIEWER, SIGNER, SUPERUSER}),
    ("POST", "admin:bulletins_wordrule_change", lambda w: f"/admin/bulletins/wordrule/{w['rule'].pk}/change/",
     {"wrong": "错词", "right": "改掉", "severity": "warning", "note": ""}, {REVIEWER, SIGNER, SUPERUSER}),
    ("POST", "admin:bulletins_wordrule_delete", lambda w: f"/admin/bulletins/wordrule/{w['rule'].pk}/delete/",
     {"post": "yes"}, {REVIEWER, SIGNER, SUPERUSER}),
    # Images: whoever writes entries
    ("GET", "admin:bulletins_entryimage_changelist", lambda w: "/admin/bulletins/entryimage/", None, CONTENT),
    ("GET", "admin:bulletins_entryimage_add", lambda w: "/admin/bulletins/entryimage/add/", None, CONTENT),
    ("GET", "admin:bulletins_entryimage_change",
     lambda w: f"/admin/bulletins/entryimage/{w['image'].pk}/change/", None, CONTENT),
    ("GET", "admin:bulletins_entryimage_browse", lambda w: "/admin/bulletins/entryimage/browse/", None, CONTENT),
    ("POST", "admin:bulletins_entryimage_upload", lambda w: "/admin/bulletins/entryimage/upload/", {}, CONTENT),
    # Site settings: the signer (content) and the administrator (operation)
    ("GET", "admin:bulletins_sitesettings_changelist", lambda w: "/admin/bulletins/sitesettings/", None,
     {SIGNER, ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:bulletins_sitesettings_change",
     lambda w: f"/admin/bulletins/sitesettings/{w['settings'].pk}/change/", None, {SIGNER, ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:bulletins_sitesettings_add", lambda w: "/admin/bulletins/sitesettings/add/", None, set()),
    # The task queue's runs (failed mail): the administrator reads them; nobody adds or changes any
    ("GET", "admin:django_tasks_database_dbtaskresult_changelist",
     lambda w: "/admin/django_tasks_database/dbtaskresult/", None, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:django_tasks_database_dbtaskresult_add", lambda w: "/admin/django_tasks_database/dbtaskresult/add/",
     None, set()),
    ("GET", "admin:periodic_periodicjob_changelist", lambda w: "/admin/periodic/periodicjob/", None,
     {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:periodic_periodicjob_add", lambda w: "/admin/periodic/periodicjob/add/", None, set()),
    # Accounts: the administrator only
    ("GET", "admin:accounts_user_changelist", lambda w: "/admin/accounts/user/", None, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:accounts_user_add", lambda w: "/admin/accounts/user/add/", None, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:accounts_user_change", lambda w: f"/admin/accounts/user/{w['target'].pk}/change/", None,
     {ADMINISTRATOR, SUPERUSER}),
    ("POST", "admin:accounts_user_reset_password",
     lambda w: f"/admin/accounts/user/{w['target'].pk}/reset-password/", {}, {ADMINISTRATOR, SUPERUSER}),
    ("POST", "admin:accounts_user_unlock", lambda w: f"/admin/accounts/user/{w['target'].pk}/unlock/", {},
     {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:auth_user_password_change", lambda w: f"/admin/accounts/user/{w['target'].pk}/password/", None,
     set()),
    ("GET", "admin:accounts_user_delete", lambda w: f"/admin/accounts/user/{w['target'].pk}/delete/", None, set()),
    ("GET", "admin:auth_group_changelist", lambda w: "/admin/auth/group/", None, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:auth_group_add", lambda w: "/admin/auth/group/add/", None, {SUPERUSER}),
    ("POST", "admin:auth_group_change", lambda w: f"/admin/auth/group/{w['group'].pk}/change/",
     {"name": "改名"}, {SUPERUSER}),
    ("GET", "admin:axes_accessattempt_changelist", lambda w: "/admin/axes/accessattempt/", None,
     {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:axes_accessattempt_add", lambda w: "/admin/axes/accessattempt/add/", None, set()),
    ("POST", "admin:axes_accessattempt_delete", lambda w: f"/admin/axes/accessattempt/{w['attempt'].pk}/delete/",
     {"post": "yes"}, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:axes_accesslog_changelist", lambda w: "/admin/axes/accesslog/", None, {SUPERUSER}),
    ("GET", "admin:axes_accesslog_add", lambda w: "/admin/axes/accesslog/add/", None, set()),
    ("GET", "admin:axes_accessfailurelog_changelist", lambda w: "/admin/axes/accessfailurelog/", None, {SUPERUSER}),
    ("GET", "admin:axes_accessfailurelog_add", lambda w: "/admin/axes/accessfailurelog/add/", None, set()),
    # Submissions: the editorial roles handle the inbox; nobody adds or deletes a submission here
    ("GET", "admin:submissions_submission_changelist", lambda w: "/admin/submissions/submission/", None, CONTENT),
    ("GET", "admin:submissions_submission_add", lambda w: "/admin/submissions/submission/add/", None, set()),
    ("GET", "admin:submissions_submission_change",
     lambda w: f"/admin/submissions/submission/{w['submission'].pk}/change/", None, CONTENT),
    ("POST", "admin:submissions_submission_change",
     lambda w: f"/admin/submissions/submission/{w['submission'].pk}/change/",
     {"higher_adoptions": 1, "leader_instructions": 0}, CONTENT),
    ("GET", "admin:submissions_submission_delete",
     lambda w: f"/admin/submissions/submission/{w['submission'].pk}/delete/", None, set()),
    ("POST", "admin:submissions_submission_decide",
     lambda w: f"/admin/submissions/submission/{w['submission'].pk}/decide/return/", {"comment": "改"}, CONTENT),
    ("GET", "admin:submissions_submission_adopt",
     lambda w: f"/admin/submissions/submission/adopt/?ids={w['submission'].pk}", None, CONTENT),
    ("GET", "admin:submissions_submission_report", lambda w: "/admin/submissions/submission/report/", None,
     {*CONTENT, ADMINISTRATOR}),
    # 考评 rules: the administrator keeps them, the editorial roles read them
    ("GET", "admin:submissions_scoringrule_changelist", lambda w: "/admin/submissions/scoringrule/", None,
     {*CONTENT, ADMINISTRATOR}),
    ("GET", "admin:submissions_scoringrule_add", lambda w: "/admin/submissions/scoringrule/add/", None,
     {ADMINISTRATOR, SUPERUSER}),
    ("POST", "admin:submissions_scoringrule_change",
     lambda w: f"/admin/submissions/scoringrule/{w['scoring_rule'].pk}/change/", {}, {ADMINISTRATOR, SUPERUSER}),
    ("GET", "admin:submissions_scoringrule_delete",
     lambda w: f"/admin/submissions/scoringrule/{w['scoring_rule'].pk}/delete/", None, set()),
    # Signed snapshots: signers and auditors read them (and see the alert that links here); nobody,
    # not even a superuser, adds, changes or deletes one
    ("GET", "admin:bulletins_issuesnapshot_changelist", lambda w: "/admin/bulletins/issuesnapshot/", None,
     {SIGNER, AUDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issuesnapshot_changelist",
     lambda w: f"/admin/bulletins/issuesnapshot/?issue__id__exact={w['snapshot'].issue_id}", None,
     {SIGNER, AUDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issuesnapshot_change",
     lambda w: f"/admin/bulletins/issuesnapshot/{w['snapshot'].pk}/change/", None, {SIGNER, AUDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issuesnapshot_history",
     lambda w: f"/admin/bulletins/issuesnapshot/{w['snapshot'].pk}/history/", None, {SIGNER, AUDITOR, SUPERUSER}),
    ("GET", "admin:bulletins_issuesnapshot_add", lambda w: "/admin/bulletins/issuesnapshot/add/", None, set()),
    ("POST", "admin:bulletins_issuesnapshot_change",
     lambda w: f"/admin/bulletins/issuesnapshot/{w['snapshot'].pk}/change/", {"sha256": "0" * 64}, set()),
    ("GET", "admin:bulletins_issuesnapshot_delete",
     lambda w: f"/admin/bulletins/issuesnapshot/{w['snapshot'].pk}/delete/", None, set()),
    ("POST", "admin:bulletins_issuesnapshot_delete",
     lambda w: f"/admin/bulletins/issuesnapshot/{w['snapshot'].pk}/delete/", {"post": "yes"}, set()),
    # Audit log: the auditor reads and exports; nobody, not even a superuser, adds, changes or deletes
    ("GET", "admin:accounts_auditevent_changelist", lambda w: "/admin/accounts/auditevent/", None,
     {AUDITOR, SUPERUSER}),
    ("GET", "admin:accounts_auditevent_change", lambda w: f"/admin/accounts/auditevent/{w['event'].pk}/change/", None,
     {AUDITOR, SUPERUSER}),
    ("GET", "admin:accounts_auditevent_export", lambda w: "/admin/accounts/auditevent/export/", None,
     {AUDITOR, SUPERUSER}),
    ("GET", "admin:accounts_auditevent_add", lambda w: "/admin/accounts/auditevent/add/", None, set()),
    ("POST", "admin:accounts_auditevent_add", lambda w: "/admin/accounts/auditevent/add/",
     {"action": "login", "username": "forged", "outcome": "success"}, set()),
    ("POST", "admin:accounts_auditevent_change", lambda w: f"/admin/accounts/auditevent/{w['event'].pk}/change/",
     {"action": "forged"}, set()),
    ("GET", "admin:accounts_auditevent_delete", lambda w: f"/admin/accounts/auditevent/{w['event'].pk}/delete/",
     None, set()),
    ("POST", "admin:accounts_auditevent_delete", lambda w: f"/admin/accounts/auditevent/{w['event'].pk}/delete/",
     {"post": "yes"}, set()),
]

# Pages of Django's own or of the model admins that are not about a role (none needed).
UNLISTED = {"admin:login", "admin:logout", "admin:password_change_done", "admin:autocomplete", "admin:jsi18n",
            "admin:view_on_site", "admin:app_list"}


def _user(role):
    if role == CORRESPONDENT:
        return make_correspondent()
    if role == SUPERUSER:
        return User.objects.create_superuser(f"root{User.objects.count()}", password="Root-Secret-2026")
    return make_staff(role)


def _outcome(response):
    if response.status_code == 403:
        return "no"
    # Not staff: the admin sends them to its login page.
    hops = [url for url, _ in getattr(response, "redirect_chain", [])] + [response.get("Location") or ""]
    if any(url.startswith("/admin/login/") for url in hops):
        return "no"
    # 400: past the permission check, the (empty) input refused.
    if response.status_code in (200, 302, 400):
        return "ok"
    return response.status_code


@pytest.mark.parametrize(("method", "name", "url", "data", "allowed"), ROWS,
                         ids=[f"{method} {name}" for method, name, *_ in ROWS])
def test_admin_url_is_open_exactly_to_its_roles(method, name, url, data, allowed):
    outcomes = {}
    for role in COLUMNS:
        user = _user(role)
        client = Client()
        client.force_login(user)
        world = _world(user)
        address = url(world)
        if method == "GET":
            response = client.get(address, follow=True)
        else:
            response = client.post(address, data(world) if callable(data) else data)
        outcomes[role] = _outcome(response)
    assert outcomes == {role: "ok" if role in allowed else "no" for role in COLUMNS}


def test_audit_log_is_unchanged_after_every_role_tried_everything():
    event = make_audit_event(username="alice")
    for role in COLUMNS:
        client = Client()
        client.force_login(_user(role))
        client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"username": "forged"})
        client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"})
        client.post("/admin/accounts/auditevent/",
                    {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    event.refresh_from_db()
    assert event.username == "alice"


def _admin_url_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and namespace in ("admin", "bulletins_admin"):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_admin_url_has_a_row():
    rows = {name for _, name, *_ in ROWS}
    # A model's change, delete and history pages are Django's own, on the model admin's permissions;
    # the rows above try them where a part changed those permissions.
    standard = {f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
                for model in admin.site._registry for page in ("change", "delete", "history")}
    missing = sorted(_admin_url_names() - rows - UNLISTED - standard)
    assert missing == []


def test_every_registered_model_has_changelist_and_add_rows():
    rows = {name for _, name, *_ in ROWS}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert {f"{prefix}_changelist", f"{prefix}_add"} <= rows, prefix

