"""The task queue's results in the admin, in Chinese: administrators see every failed run."""

from django.contrib import admin
from django.utils.html import format_html
from django_tasks_db.apps import TasksAppConfig

from wenming.admin_mixins import ReadOnlyAdminMixin


class TasksConfig(TasksAppConfig):
    """django-tasks-db under a Chinese name, with the results admin below (its strings: locale/zh_Hans)."""

    verbose_name = "任务队列"

    def ready(self):
        super().ready()
        from django_tasks_db import admin as library_admin  # noqa: F401  (registers the library's admin first)
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, TaskResultAdmin)


TASK_NAMES = {"send_mail": "发送邮件"}


class TaskResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["task_label", "status", "enqueued_at", "finished_at", "error"]
    list_filter = ["status", "queue_name"]
    ordering = ["-enqueued_at"]
    fields = ["task_label", "status", "enqueued_at", "started_at", "finished_at", "arguments", "formatted_traceback"]
    readonly_fields = fields

    @admin.display(description="任务")
    def task_label(self, obj):
        return TASK_NAMES.get(obj.task_name, obj.task_name)

    @admin.display(description="错误")
    def error(self, obj):
        return obj.exception_class_path.rsplit(".", 1)[-1] if obj.exception_class_path else ""

    @admin.display(description="参数")
    def arguments(self, obj):
        return format_html("<pre>{}</pre>", obj.args_kwargs)

    @admin.display(description="错误详情")
    def formatted_traceback(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "-"

