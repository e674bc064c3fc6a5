"""The early warnings' pages, under /prevention/."""

from django.urls import path

from . import views

app_name = "prevention"
urlpatterns = [
    path("", views.warning_list, name="warnings"),
    path("warnings/<int:pk>/", views.warning_detail, name="warning"),
    path("warnings/<int:pk>/actions/", views.record_action, name="warning-action"),
    path("warnings/<int:pk>/close/", views.close_warning, name="warning-close"),
    path("warnings/<int:pk>/petition/", views.convert_warning, name="warning-convert"),
    path("risk/", views.risk, name="risk"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/visits/", views.record_visit, name="visit"),
]
