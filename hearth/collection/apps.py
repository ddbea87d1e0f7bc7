from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "hearth.collection"
    label = "collection"
    verbose_name = "Data collection (stage assessments)"
