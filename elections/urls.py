"""Staff pages under /elections/, the workers' public voting pages under /vote/."""

from django.urls import path

from . import views

app_name = "elections"
urlpatterns = [
    path("elections/petitions/<int:pk>/open/", views.open_election, name="open"),
    path("elections/<int:pk>/reissue/", views.reissue, name="reissue"),
    path("elections/<int:pk>/close/", views.close, name="close"),
    path("elections/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("vote/", views.vote, name="vote"),
    path("vote/ballot/", views.ballot, name="ballot"),
]
