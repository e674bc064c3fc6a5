from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("petition/<int:pk>/consent/", views.consent, name="consent"),
    path("petition/<int:pk>/paper-delivery/", views.paper_delivery, name="paper-delivery"),
]
