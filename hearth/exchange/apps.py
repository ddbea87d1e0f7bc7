from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "hearth.exchange"
    label = "exchange"
    verbose_name = "HMIS CSV exchange"
    default_auto_field = "django.db.models.BigAutoField"
