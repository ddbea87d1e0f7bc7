from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hearth.reports"
    label = "reports"
    verbose_name = "HUD reports"
    default_auto_field = "django.db.models.BigAutoField"
