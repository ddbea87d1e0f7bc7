from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "hearth.rights"
    label = "rights"
    verbose_name = "Client rights and retention"
    default_auto_field = "django.db.models.BigAutoField"
