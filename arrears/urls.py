"""The monthly arrears reports' pages, under /arrears/."""

from django.urls import path

from . import views

app_name = "arrears"
urlpatterns = [
    path("", views.home, name="home"),
    path("missing/", views.missing, name="missing"),
    path("reports/", views.reports, name="reports"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprises/<int:pk>/reports/", views.file_report, name="file"),
    path("enterprises/<int:pk>/zero/", views.file_zero_report, name="zero"),
]
