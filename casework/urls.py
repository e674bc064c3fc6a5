from django.urls import path

from . import evidence_views, merge_views, views

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
    path("petitions/<int:pk>/merge/", merge_views.merge_petition, name="petition-merge"),
    path("petitions/<int:pk>/evidence/", evidence_views.add_evidence, name="evidence-add"),
    path(
        "petitions/<int:pk>/evidence/<int:evidence_id>/",
        evidence_views.evidence_file,
        name="evidence-file",
    ),
]
