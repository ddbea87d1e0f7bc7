from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # The read-only HUD record browser for the deployment's administrators.
    # The admin signs in through Hearth's own sign-in (lockout, second factor, session records), never its own.
    path("admin/login/", RedirectView.as_view(pattern_name="web:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("", include("hearth.web.urls")),
]
