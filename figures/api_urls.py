"""The figures' API, under /api/ beside the petitions' (included before their catch-all)."""

from django.urls import path

from . import api

app_name = "figures-api"

urlpatterns = [path("figures/", api.FiguresView.as_view(), name="figures")]
