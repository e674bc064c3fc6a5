"""The departments' pages, under /departments/."""

from django.urls import path

from . import views

app_name = "departments"
urlpatterns = [
    path("", views.department_list, name="list"),
    path("inbox/", views.inbox, name="inbox"),
    path("zones/<int:pk>/new/", views.department_new, name="new"),
    path("<int:pk>/edit/", views.department_edit, name="edit"),
    path("<int:pk>/active/", views.department_active, name="active"),
    path("<int:pk>/liaisons/new/", views.liaison_new, name="liaison-new"),
    path("liaisons/<int:pk>/remove/", views.liaison_remove, name="liaison-remove"),
    path("petitions/<int:pk>/refer/", views.refer, name="refer"),
    path("referrals/<int:pk>/reference/", views.reference, name="reference"),
    path("referrals/<int:pk>/reply/", views.reply, name="reply"),
    path("referrals/<int:pk>/extend/", views.extend, name="extend"),
    path("referrals/<int:pk>/award/", views.award, name="award"),
    path("petitions/<int:pk>/parts/new/", views.part_new, name="part-new"),
    path("parts/<int:pk>/finish/", views.part_finish, name="part-finish"),
    path("parts/<int:pk>/withdraw/", views.part_withdraw, name="part-withdraw"),
]
