from django.contrib.auth import views as auth_views
from django.urls import path

from hearth.web.views import account, clients, home

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("agreement/", account.agreement, name="agreement"),
    path("clients/", clients.search, name="client-search"),
    path("clients/new/", clients.register, name="client-new"),
    path("clients/<int:client_id>/", clients.profile, name="client"),
    path("clients/<int:client_id>/edit/", clients.edit, name="client-edit"),
]
