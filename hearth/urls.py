from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # The read-only HUD record browser for the deployment's administrators.
    path("admin/", admin.site.urls),
    path("", include("hearth.web.urls")),
]
