from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from casework import error_views
from casework.forms import SigninForm
from figures import views as figures_views

urlpatterns = [
    path("", figures_views.home, name="home"),
    # An explicit template: viewflow's registration/login.html would shadow ours.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="casework/login.html", authentication_form=SigninForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("workflows.api")),
    path("api/", include("fund.api_urls")),
    path("api/", include("arrears.api_urls")),
    path("api/", include("figures.api_urls")),
    path("api/", include("prevention.api_urls")),
    # Last under /api/: its catch-all answers every unknown address with the API's 404.
    path("api/", include("casework.api.urls")),
    path("tasks/", include("workflows.urls")),
    path("tasks/", include("escalation.urls")),
    path("notifications/", include("notifications.urls")),
    path("arrears/", include("arrears.urls")),
    path("prevention/", include("prevention.urls")),
    path("figures/", include("figures.urls")),
    path("portal/", include("portal.urls")),
    path("documents/", include("documents.urls")),
    path("agreements/", include("agreements.urls")),
    path("departments/", include("departments.urls")),
    path("supervision/", include("supervision.urls")),
    path("", include("elections.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("casework.urls")),
    path("", include("fund.urls")),
]

# Our layout and language, not viewflow's 403 page or Django's bare ones.
handler400 = error_views.bad_request
handler403 = error_views.permission_denied
handler404 = error_views.page_not_found
handler500 = error_views.server_error
