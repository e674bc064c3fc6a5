"""The monthly arrears reports' API, under /api/arrears/ (before the petitions' catch-all)."""

from django.urls import path

from . import api

app_name = "arrears-api"

urlpatterns = [
    path("arrears/reports/", api.ReportsView.as_view(), name="reports"),
    path("arrears/reports/zero/", api.ZeroReportView.as_view(), name="zero"),
    path("arrears/missing/", api.MissingView.as_view(), name="missing"),
]
