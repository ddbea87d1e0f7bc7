from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "hearth.structure"
    label = "structure"
    verbose_name = "Structure"
    default_auto_field = "django.db.models.BigAutoField"
