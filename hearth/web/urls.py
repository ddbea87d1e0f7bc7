from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from hearth.web.views import account, audit, clients, home, people

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/setup/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/setup.html", success_url=reverse_lazy("web:login")
        ),
        name="account-setup",
    ),
    path("agreement/", account.agreement, name="agreement"),
    path("people/", people.people, name="people"),
    path("people/new/", people.new_person, name="person-new"),
    path("people/<int:account_id>/", people.person, name="person"),
    path("people/<int:account_id>/grants/<int:grant_id>/revoke/", people.revoke, name="person-revoke"),
    path("people/<int:account_id>/activation/", people.activation, name="person-activation"),
    path("people/<int:account_id>/setup-link/", people.setup_link, name="person-setup-link"),
    path("clients/", clients.search, name="client-search"),
    path("clients/new/", clients.register, name="client-new"),
    path("clients/<int:client_id>/", clients.profile, name="client"),
    path("clients/<int:client_id>/edit/", clients.edit, name="client-edit"),
    path("clients/<int:client_id>/history/", audit.client_history, name="client-history"),
    path("people/<int:account_id>/activity/", audit.account_activity, name="person-activity"),
]
