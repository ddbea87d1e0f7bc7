from django.apps import AppConfig


class HmisConfig(AppConfig):
    name = "hearth.hmis"
    label = "hmis"
    verbose_name = "HUD HMIS records"
    default_auto_field = "django.db.models.BigAutoField"
