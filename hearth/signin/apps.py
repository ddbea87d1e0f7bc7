from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "hearth.signin"
    label = "signin"
    verbose_name = "Sign-in and sessions"

    def ready(self) -> None:
        from hearth.signin import checks  # noqa: F401 - registers the system checks
