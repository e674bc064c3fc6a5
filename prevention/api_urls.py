"""The early warnings' API, under /api/ beside the petitions' (included before their catch-all)."""

from django.urls import path

from . import api

app_name = "prevention-api"

urlpatterns = [path("warnings/", api.WarningList.as_view(), name="warnings")]
