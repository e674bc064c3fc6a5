"""The committee's escalation pages, under /tasks/ as before escalation became its own app."""

from django.urls import path

from . import views

app_name = "escalation"
urlpatterns = [
    path("escalations/", views.escalation_list, name="list"),
    path("escalations/<int:pk>/", views.escalation_detail, name="detail"),
    path(
        "escalations/<int:pk>/<slug:action>/",
        views.escalation_step,
        name="step",
    ),
    path("petitions/<int:pk>/escalate/", views.escalate, name="escalate"),
]
