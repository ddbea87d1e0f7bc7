from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "hearth.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Hearth's own kinds (HMIS CSV import and export), then any app's ``job_kinds`` module (reports…).
        from hearth.jobs import exchange  # noqa: F401 - registers its kinds

        autodiscover_modules("job_kinds")
