"""The roles (groups) of the creation office and the permissions each holds.

Migrations call `sync_roles(apps)`; change ROLE_PERMISSIONS and add a migration that calls
it again to change what a role may do.
"""

EDITOR = "编辑"
REVIEWER = "审核"
SIGNER = "签发"
ADMINISTRATOR = "系统管理员"
AUDITOR = "审计员"
# A unit's correspondent: uses the portal (/portal/) only, never the admin (is_staff is False).
CORRESPONDENT = "通讯员"

_CONTENT = [
    "bulletins.view_issue", "bulletins.change_issue",
    "bulletins.view_entry", "bulletins.add_entry", "bulletins.change_entry", "bulletins.delete_entry",
    "bulletins.view_entryperson", "bulletins.add_entryperson", "bulletins.change_entryperson",
    "bulletins.delete_entryperson",
    "bulletins.view_section", "bulletins.view_person", "bulletins.view_unit", "bulletins.view_persontitle",
    "bulletins.view_issuetransition",
]
_WORD_LIST = ["bulletins.view_wordrule", "bulletins.add_wordrule", "bulletins.change_wordrule",
              "bulletins.delete_wordrule"]
# Editors, reviewers and signers handle the inbox of submissions and read the 通报.
_SUBMISSIONS = ["submissions.view_submission", "submissions.change_submission", "submissions.handle_submission",
                "submissions.view_submissiontransition", "submissions.view_scoringrule",
                "submissions.view_report"]
_REGISTRY = [
    "bulletins.add_person", "bulletins.change_person",
    "bulletins.add_persontitle", "bulletins.change_persontitle", "bulletins.delete_persontitle",
    "bulletins.add_unit", "bulletins.change_unit",
    "bulletins.add_section", "bulletins.change_section",
]

ROLE_PERMISSIONS = {
    EDITOR: [*_CONTENT, *_REGISTRY, *_SUBMISSIONS, "bulletins.view_wordrule", "bulletins.add_issue", "bulletins.delete_issue",
             "bulletins.submit_issue"],
    REVIEWER: [*_CONTENT, *_REGISTRY, *_SUBMISSIONS, *_WORD_LIST, "bulletins.review_issue"],
    SIGNER: [*_CONTENT, *_REGISTRY, *_SUBMISSIONS, *_WORD_LIST, "bulletins.sign_issue", "bulletins.change_sitesettings",
             "bulletins.view_sitesettings"],
    # Manages accounts and login locks; reads no audit record (separation of duties).
    ADMINISTRATOR: ["accounts.view_user", "accounts.add_user", "accounts.change_user", "auth.view_group",
                    "accounts.reset_password_user", "accounts.unlock_user",
                    "axes.view_accessattempt", "axes.delete_accessattempt",
                    "bulletins.view_sitesettings", "bulletins.change_sitesettings",
                    # Sees the task queue's runs, failed mail included (wenming/tasks.py).
                    "django_tasks_database.view_dbtaskresult",
                    # Sees when the periodic jobs ran and what they found (periodic/jobs.py).
                    "periodic.view_periodicjob",
                    # 考评 rules are the office's policy, kept by the administrator.
                    "submissions.view_scoringrule", "submissions.add_scoringrule",
                    "submissions.change_scoringrule", "submissions.view_report"],
    # Reads and exports the audit log; changes nothing.
    AUDITOR: ["accounts.view_auditevent", "accounts.export_auditevent", "bulletins.view_issuetransition"],
    # Writes and submits the news of their own unit (accounts.User.reporting_unit) in the portal.
    CORRESPONDENT: ["submissions.report_submission"],
}

ROLES = list(ROLE_PERMISSIONS)


def sync_roles(apps, schema_editor=None):
    """Create the groups and set exactly the permissions listed above."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a data migration needs them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [name.split(".") for name in names]
        # A permission of a model that a later migration creates does not exist yet; the
        # post_migrate sync (accounts.apps) grants it once every migration has run.
        query = Permission.objects.none()
        for app_label, codename in wanted:
            query |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        group.permissions.set(query)
    name_permissions_in_chinese(apps)


BUILTIN_ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def name_permissions_in_chinese(apps):
    """Django names its built-in permissions in English (“Can change 期刊”): “修改期刊” instead."""
    from django.conf import settings
    from django.utils import translation

    Permission = apps.get_model("auth", "Permission")
    with translation.override(settings.LANGUAGE_CODE):
        _rename(Permission, apps)


def _rename(Permission, apps):
    from django.apps import apps as current_apps  # a migration's historical models carry plain English names

    for permission in Permission.objects.filter(name__startswith="Can ").select_related("content_type"):
        action, _, model_name = permission.codename.partition("_")
        try:
            model = current_apps.get_model(permission.content_type.app_label, permission.content_type.model)
        except LookupError:
            continue
        if action in BUILTIN_ACTIONS and model_name == model._meta.model_name:
            permission.name = f"{BUILTIN_ACTIONS[action]}{model._meta.verbose_name}"[:255]
            permission.save(update_fields=["name"])
