from django.urls import path

from . import fund_views, views

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

# The emergency fund.
urlpatterns += [
    path("petitions/<int:pk>/releases/new/", fund_views.release_new, name="release-new"),
    path("fund/", fund_views.fund_home, name="fund-home"),
    path("fund/approvals/", fund_views.approvals, name="fund-approvals"),
    path("fund/signing/", fund_views.signing, name="fund-signing"),
    path("fund/finance/", fund_views.finance, name="fund-finance"),
    path("fund/statement/", fund_views.statement, name="fund-statement"),
    path("fund/<int:pk>/contributions/", fund_views.contribution, name="fund-contribution"),
    path("fund/entries/<int:pk>/correct/", fund_views.correct_entry, name="fund-correct"),
    path(
        "fund/corrections/<int:pk>/confirm/",
        fund_views.confirm_correction,
        name="fund-correction-confirm",
    ),
    path("fund/releases/<int:pk>/", fund_views.release_detail, name="release-detail"),
    path("fund/releases/<int:pk>/edit/", fund_views.release_edit, name="release-edit"),
    path("fund/releases/<int:pk>/<slug:step>/", fund_views.release_step, name="release-step"),
    path("fund/write-offs/<int:pk>/sign/", fund_views.write_off_sign, name="write-off-sign"),
]
