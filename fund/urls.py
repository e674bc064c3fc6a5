"""The emergency fund's pages (under the site root, as before the fund became its own app)."""

from django.urls import path

from . import views

app_name = "fund"
urlpatterns = [
    path("petitions/<int:pk>/releases/new/", views.release_new, name="release-new"),
    path("fund/", views.fund_home, name="home"),
    path("fund/approvals/", views.approvals, name="approvals"),
    path("fund/signing/", views.signing, name="signing"),
    path("fund/finance/", views.finance, name="finance"),
    path("fund/statement/", views.statement, name="statement"),
    path("fund/<int:pk>/contributions/", views.contribution, name="contribution"),
    path("fund/entries/<int:pk>/correct/", views.correct_entry, name="correct"),
    path(
        "fund/corrections/<int:pk>/confirm/",
        views.confirm_correction,
        name="correction-confirm",
    ),
    path("fund/releases/<int:pk>/", views.release_detail, name="release-detail"),
    path("fund/releases/<int:pk>/edit/", views.release_edit, name="release-edit"),
    path("fund/releases/<int:pk>/<slug:step>/", views.release_step, name="release-step"),
    path("fund/write-offs/<int:pk>/sign/", views.write_off_sign, name="write-off-sign"),
]
