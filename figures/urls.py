from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("", views.figures_page, name="page"),
    path("export/", views.export, name="export"),
    path("monthly.pdf", views.monthly_pdf, name="monthly-pdf"),
    path("monthly.xlsx", views.monthly_xlsx, name="monthly-xlsx"),
]
