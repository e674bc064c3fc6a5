from django.urls import path

from . import views

app_name = "portal"

# No case number, phone or code in any address: they are posted, and the case page reads the
# signed cookie a look-up leaves.
urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("case/", views.case, name="case"),
    path("case/forget/", views.forget, name="forget"),
    path("case/consent/", views.consent, name="consent"),
    path("case/<int:claim_pk>/documents/<int:pk>/", views.document, name="document"),
    path("case/<int:claim_pk>/sign/", views.sign, name="sign"),
    path("file/", views.file, name="file"),
]
