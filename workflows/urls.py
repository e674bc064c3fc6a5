from django.urls import path

from . import deadline_views, load_views, transfer_views, views

app_name = "workflows"
urlpatterns = [
    path("", views.my_tasks, name="my-tasks"),
    path("queue/", views.queue, name="queue"),
    path("done/", views.done, name="done"),
    path("board/", views.board, name="board"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/unassign/", views.unassign, name="unassign"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("<int:pk>/sessions/", views.record_session, name="record-session"),
    path("<int:pk>/transitions/<slug:name>/", views.fire_transition, name="transition"),
]

# Deadlines.
urlpatterns += [
    path(
        "deadlines/<int:pk>/extension/",
        deadline_views.request_extension,
        name="extension-request",
    ),
    path(
        "extensions/<int:pk>/decide/",
        deadline_views.decide_extension,
        name="extension-decide",
    ),
]

# Transfers between units.
urlpatterns += [
    path("transfers/", transfer_views.transfer_list, name="transfers"),
    path(
        "transfers/petition/<int:pk>/",
        transfer_views.request_transfer,
        name="transfer-request",
    ),
    path("transfers/<int:pk>/accept/", transfer_views.accept_transfer, name="transfer-accept"),
    path("transfers/<int:pk>/return/", transfer_views.return_transfer, name="transfer-return"),
]

# Complexity tiers; mediators' leave and recusals.
urlpatterns += [
    path("petition/<int:pk>/tier/", load_views.change_tier, name="tier"),
    path("absences/", load_views.absence_list, name="absences"),
    path("recusals/", load_views.recusal_list, name="recusals"),
]
