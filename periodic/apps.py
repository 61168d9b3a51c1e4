from django.apps import AppConfig


class PeriodicConfig(AppConfig):
    name = "periodic"
    verbose_name = "定期任务"
    default_auto_field = "django.db.models.BigAutoField"
