from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("petitions/", views.petition_list, name="petition-list"),
    path("petitions/new/", views.intake, name="intake"),
    path("petitions/find-by-id/", views.find_by_id_number, name="find-by-id"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition-detail"),
    path(
        "petitions/<int:pk>/transitions/<slug:name>/",
        views.fire_transition,
        name="petition-transition",
    ),
    path("petitions/<int:pk>/link/", views.link_facts, name="petition-link"),
]
