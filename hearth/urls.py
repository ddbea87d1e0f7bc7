from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # The case-worker application (issue #3) takes over "/"; until then the HMIS Lead works in the admin.
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
