import pytest

from .helpers import disbursed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "pw"))
    return client


def test_an_administrator_edits_the_fund_rules_but_not_its_balance(admin_client, fund):
    page = admin_client.get(f"/admin/fund/emergencyfund/{fund.pk}/change/").content.decode()

    assert 'name="total_cap_percent"' in page and 'name="committee_threshold"' in page
    assert 'name="balance"' not in page


def test_the_ledger_is_read_only_in_admin(
    admin_client, wage_petition, mediator, supervisor, finance
):
    disbursed(wage_petition, mediator, supervisor, finance)

    assert admin_client.get("/admin/fund/journalentry/").status_code == 200
    assert admin_client.get("/admin/fund/journalentry/add/").status_code == 403
    assert admin_client.get("/admin/fund/release/1/delete/").status_code == 403


def test_corrections_are_read_only_in_admin(admin_client, fund, finance):
    from fund import services as services
    from fund.models import JournalEntry

    proposal = services.propose_correction(
        JournalEntry.objects.get(), actor=finance, reason="Booked twice."
    )

    assert admin_client.get("/admin/fund/correction/").status_code == 200
    assert admin_client.get(f"/admin/fund/correction/{proposal.pk}/delete/").status_code == 403
