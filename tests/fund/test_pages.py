import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from casework.models import Membership, Role
from fund import services as services
from fund.models import Release, ReleaseStatus

from ..factories import record, user_with_role, worker_row
from .helpers import approved, default_lines, disbursed, draft, submitted

pytestmark = pytest.mark.django_db


def test_the_petition_page_offers_a_draft_to_the_mediator(login, wage_petition, mediator):
    page = login(mediator).get(f"/petitions/{wage_petition.pk}/").content.decode()

    assert f"/petitions/{wage_petition.pk}/releases/new/" in page


def test_the_draft_page_is_prefilled_and_shows_the_caps(login, wage_petition, mediator):
    response = login(mediator).get(f"/petitions/{wage_petition.pk}/releases/new/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "¥2,490.00" in page and "¥6,600.00" in page  # per worker, petition
    first, second, _third = (c.worker for c in wage_petition.claims.order_by("id"))
    assert f'name="amount_{second.pk}_travel_home"' in page  # non-local
    assert f'name="amount_{first.pk}_travel_home"' not in page


def draft_data(petition, **amounts):
    return {"reason": "Rent due.", **{f"amount_{k}": v for k, v in amounts.items()}}


def test_saving_a_draft_then_submitting_it(login, wage_petition, mediator):
    first = wage_petition.claims.order_by("id")[0].worker
    client = login(mediator)

    response = client.post(
        f"/petitions/{wage_petition.pk}/releases/new/",
        draft_data(wage_petition, **{f"{first.pk}_wages": "1000.00"}),
    )
    release = Release.objects.get()
    assert response.status_code == 302
    response = client.post(f"/fund/releases/{release.pk}/submit/", {"expected_status": "draft"})

    release.refresh_from_db()
    assert (response.status_code, release.status) == (302, ReleaseStatus.SUBMITTED)


def test_a_draft_above_the_cap_is_shown_again_with_the_reason(login, wage_petition, mediator):
    first = wage_petition.claims.order_by("id")[0].worker

    response = login(mediator).post(
        f"/petitions/{wage_petition.pk}/releases/new/",
        draft_data(wage_petition, **{f"{first.pk}_wages": "2490.01"}),
    )

    assert response.status_code == 400
    assert "capped at ¥2,490.00" in response.content.decode()
    assert not Release.objects.exists()


def test_a_clerk_may_not_draft(login, wage_petition, clerk):
    assert login(clerk).get(f"/petitions/{wage_petition.pk}/releases/new/").status_code == 403


def test_another_zones_petition_does_not_exist_for_the_outsider(login, wage_petition, outsider):
    assert login(outsider).get(f"/petitions/{wage_petition.pk}/releases/new/").status_code == 404


def test_the_approvals_queue_shows_total_lines_caps_and_the_fund_after(
    login, wage_petition, mediator, supervisor
):
    submitted(wage_petition, mediator)

    page = login(supervisor).get("/fund/approvals/").content.decode()

    assert "¥4,500.00" in page  # the total
    assert "¥2,000.00 / ¥2,490.00" in page  # a worker's cap used
    assert "petition ¥4,500.00 / ¥6,600.00" in page
    assert "¥95,500.00" in page  # the fund after it
    assert wage_petition.enterprise.name in page


def add_releases(n, clerk, enterprise, mediator):
    for _ in range(n):
        rows = [
            worker_row(claimed_amount=Decimal("8000")),
            worker_row(claimed_amount=Decimal("8000"), non_local=True),
            worker_row(claimed_amount=Decimal("6000")),
        ]
        petition = record(clerk, enterprise, workers=rows)
        submitted(petition, mediator, default_lines(petition))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_approvals_queue_costs_the_same_queries_for_one_or_six_releases(
    login, clerk, enterprise, mediator, supervisor, fund
):
    client = login(supervisor)
    add_releases(1, clerk, enterprise, mediator)
    one = queries_for(client, "/fund/approvals/")
    add_releases(5, clerk, enterprise, mediator)

    assert queries_for(client, "/fund/approvals/") == one


def test_approving_from_the_queue_in_one_step(login, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/approve/",
        {"expected_status": "submitted", "note": "Urgent", "next": "/fund/approvals/"},
    )

    release.refresh_from_db()
    assert response.status_code == 302 and response.url == "/fund/approvals/"
    assert (release.status, release.decision_note) == (ReleaseStatus.APPROVED, "Urgent")


def test_the_drafter_cannot_approve_by_the_page(login, wage_petition, supervisor, org):
    release = submitted(wage_petition, supervisor)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/approve/", {"expected_status": "submitted"}
    )

    assert response.status_code == 403
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_the_drafter_is_not_offered_approval_of_their_own_release(login, wage_petition, supervisor):
    release = submitted(wage_petition, supervisor)
    approve = f'action="/fund/releases/{release.pk}/approve/"'
    client = login(supervisor)

    page, queue = client.get(f"/fund/releases/{release.pk}/"), client.get("/fund/approvals/")

    assert approve not in page.text and approve not in queue.text
    assert "No step is open to you on this release now." in page.text
    assert "someone else must" in queue.text


def test_another_supervisor_is_offered_approval(login, wage_petition, supervisor, org):
    release = submitted(wage_petition, supervisor)
    other = login(user_with_role(Role.SUPERVISOR, org["zone_a"]))

    approve = f'action="/fund/releases/{release.pk}/approve/"'
    assert approve in other.get(f"/fund/releases/{release.pk}/").text
    assert approve in other.get("/fund/approvals/").text


def test_the_approver_is_not_offered_the_signature(
    login, wage_petition, mediator, liaison, org, fund
):
    fund.committee_threshold = 1000
    fund.save()
    # A liaison who is also a supervisor approves, then may not sign the same release.
    Membership.objects.create(user=liaison, org_unit=org["zone_a"], role=Role.SUPERVISOR)
    release = approved(wage_petition, mediator, liaison)
    assert release.status == ReleaseStatus.AWAITING_SIGNATURE
    sign = f'action="/fund/releases/{release.pk}/sign/"'
    client = login(liaison)

    assert sign not in client.get(f"/fund/releases/{release.pk}/").text
    assert sign not in client.get("/fund/signing/").text


def test_finance_is_not_offered_payment_of_a_release_they_drafted(
    login, wage_petition, finance, supervisor, org
):
    Membership.objects.create(user=finance, org_unit=org["zone_a"], role=Role.MEDIATOR)
    finance = type(finance).objects.get(pk=finance.pk)  # roles are cached on the user object
    release = approved(wage_petition, finance, supervisor)
    pay = f'action="/fund/releases/{release.pk}/disburse/"'
    client = login(finance)

    assert pay not in client.get(f"/fund/releases/{release.pk}/").text
    assert pay not in client.get("/fund/finance/").text


def test_the_drafter_who_approves_anyway_is_told_why_on_the_release_page(
    login, wage_petition, supervisor
):
    release = submitted(wage_petition, supervisor)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/approve/", {"expected_status": "submitted"}
    )

    assert response.status_code == 403
    assert "fund/release_detail.html" in [t.name for t in response.templates]
    assert "someone else must" in response.text


def test_signing_ones_own_write_off_is_refused_on_the_release_page(
    login, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    proposal = services.propose_write_off(release, actor=supervisor, amount="10", reason="Lost.")

    response = login(supervisor).post(f"/fund/write-offs/{proposal.pk}/sign/")

    assert response.status_code == 403
    assert "fund/release_detail.html" in [t.name for t in response.templates]
    assert "You proposed or already signed this write-off." in response.text


def test_sign_on_a_write_off_is_offered_only_to_who_may_sign_it(
    login, wage_petition, mediator, supervisor, finance, liaison
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    proposal = services.propose_write_off(release, actor=supervisor, amount="10", reason="Lost.")
    sign = f"/fund/write-offs/{proposal.pk}/sign/"

    assert sign not in login(supervisor).get(f"/fund/releases/{release.pk}/").text
    assert sign not in login(supervisor).get("/fund/signing/").text
    assert sign in login(liaison).get(f"/fund/releases/{release.pk}/").text
    assert sign in login(liaison).get("/fund/signing/").text


def test_rejecting_without_a_note_is_refused(login, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/reject/", {"expected_status": "submitted", "note": ""}
    )

    assert response.status_code == 400
    assert "Say why." in response.content.decode()


def test_a_decision_on_a_release_that_moved_on_is_a_conflict(
    login, wage_petition, mediator, supervisor, org
):
    release = submitted(wage_petition, mediator)
    services.approve_release(release, actor=user_with_role(Role.SUPERVISOR, org["zone_a"]))

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/reject/", {"expected_status": "submitted", "note": "No"}
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()


def test_the_liaison_signs_on_the_signing_page(
    login, wage_petition, mediator, supervisor, liaison, fund
):
    fund.committee_threshold = Decimal("1000")
    fund.save()
    release = approved(wage_petition, mediator, supervisor)
    client = login(liaison)
    assert f"/fund/releases/{release.pk}/" in client.get("/fund/signing/").content.decode()

    client.post(f"/fund/releases/{release.pk}/sign/", {"expected_status": "awaiting_signature"})

    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED


def test_finance_pays_lines_and_one_stays_open_with_its_reason(
    login, wage_petition, mediator, supervisor, finance
):
    release = approved(wage_petition, mediator, supervisor)
    first, second, third = release.lines.order_by("id")
    client = login(finance)
    assert f'name="ref_{first.pk}"' in client.get("/fund/finance/").content.decode()

    client.post(
        f"/fund/releases/{release.pk}/disburse/",
        {
            "expected_status": "approved",
            f"ref_{first.pk}": "ICBC-1",
            f"ref_{second.pk}": "ICBC-2",
            f"fail_{third.pk}": "No bank card",
        },
    )

    page = client.get(f"/fund/releases/{release.pk}/").content.decode()
    assert "ICBC-1" in page and "No bank card" in page
    assert f'name="ref_{third.pk}"' in page  # still to be paid


def test_finance_books_a_recovery_and_the_outstanding_shrinks(
    login, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    client = login(finance)

    client.post(
        f"/fund/releases/{release.pk}/recover/",
        {"expected_status": "disbursed", "amount": "500.00", "source": "employer"},
    )

    assert services.outstanding(release) == Decimal("4000.00")
    assert "¥4,000.00" in client.get("/fund/finance/").content.decode()


def test_a_mediator_cannot_use_the_finance_page(login, mediator):
    assert login(mediator).get("/fund/finance/").status_code == 403


def statement_url(fund, fmt=""):
    return f"/fund/statement/?fund={fund.pk}&start=2000-01-01&end=2100-12-31{fmt}"


def test_the_statement_adds_up(login, wage_petition, mediator, supervisor, finance, fund):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    services.record_recovery(release, actor=finance, amount="1000", source="employer")

    page = login(finance).get(statement_url(fund)).content.decode()

    for figure in ["¥0.00", "¥100,000.00", "-¥4,500.00", "¥1,000.00", "¥96,500.00", "¥3,500.00"]:
        assert figure in page


def test_the_statement_downloads_as_excel(
    login, wage_petition, mediator, supervisor, finance, fund
):
    disbursed(wage_petition, mediator, supervisor, finance)

    response = login(finance).get(statement_url(fund, "&format=xlsx"))

    book = load_workbook(io.BytesIO(response.content))
    values = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row}
    assert values["Closing balance"] == Decimal("95500") or values["Closing balance"] == 95500
    assert values["Outstanding recoveries at the end"] == 4500
    assert book.worksheets[1].max_row == 3  # header, contribution, payment


def test_the_statement_costs_the_same_queries_for_more_entries(
    login, clerk, enterprise, mediator, supervisor, finance, fund
):
    client = login(finance)
    before = queries_for(client, statement_url(fund))
    for _ in range(5):
        services.record_contribution(fund, actor=finance, amount="10", source="donation")

    assert queries_for(client, statement_url(fund)) == before


def test_the_fund_pages_are_closed_to_people_without_a_fund_role(login, mediator, fund):
    client = login(mediator)

    assert client.get("/fund/").status_code == 403
    assert client.get(statement_url(fund)).status_code == 403


def test_a_release_of_another_zone_does_not_exist_for_the_outsider(
    login, wage_petition, mediator, outsider
):
    release = draft(wage_petition, mediator)

    assert login(outsider).get(f"/fund/releases/{release.pk}/").status_code == 404
    assert login(outsider).post(f"/fund/releases/{release.pk}/submit/").status_code == 404


def test_a_supervisor_of_another_zone_sees_none_of_its_releases(
    login, wage_petition, mediator, outsider
):
    submitted(wage_petition, mediator)

    page = login(outsider).get("/fund/approvals/").content.decode()

    assert "No release is waiting for your approval." in page


def test_a_payment_reference_in_the_excel_statement_is_text_not_a_formula(
    login, wage_petition, mediator, supervisor, finance, fund
):
    release = approved(wage_petition, mediator, supervisor)
    reference = "=cmd|' /C calc'!A0"
    payments = {ln.pk: {"reference": reference} for ln in release.lines.all()[:1]}
    services.disburse_release(release, actor=finance, payments=payments)

    response = login(finance).get(statement_url(fund, "&format=xlsx"))

    entries = load_workbook(io.BytesIO(response.content)).worksheets[1]
    (cell,) = [c for row in entries.iter_rows() for c in row if c.value == reference]
    assert cell.data_type == "s" and cell.quotePrefix
