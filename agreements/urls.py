"""Staff pages under /agreements/; the worker signs from the portal (portal:sign)."""

from django.urls import path

from . import views

app_name = "agreements"
urlpatterns = [
    path("petitions/<int:pk>/signing/", views.open_signing, name="open"),
    path("signers/<int:pk>/sign/", views.sign, name="sign"),
    path("signers/<int:pk>/code/", views.reissue, name="reissue"),
    path("signing/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("signing/<int:pk>/confirmation/", views.prepare, name="prepare"),
    path("confirmations/<int:pk>/ruling/", views.ruling, name="ruling"),
]
