"""The fund's API: every endpoint's 2xx, and its 400/403/404/409 in the one error shape."""

from decimal import Decimal

import pytest

from fund.models import JournalEntry, Release, ReleaseStatus

from ..api.helpers import error_of
from .helpers import approved, corrected, default_lines, disbursed, draft, submitted

pytestmark = pytest.mark.django_db


def url(release, step=""):
    return f"/api/releases/{release.pk}/{step + '/' if step else ''}"


def test_anonymous_callers_get_401(api, fund):
    assert api().get("/api/releases/").status_code == 401


def test_the_list_shows_only_releases_in_ones_zone(api, wage_petition, mediator, outsider):
    release = draft(wage_petition, mediator)

    mine = api(mediator).get("/api/releases/").json()["results"]
    theirs = api(outsider).get("/api/releases/").json()["results"]

    assert [r["id"] for r in mine] == [release.pk] and theirs == []


def test_the_detail_has_lines_and_outstanding(api, wage_petition, mediator, supervisor, finance):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    body = api(finance).get(url(release)).json()

    assert body["total"] == "4500.00" and body["outstanding"] == "4500.00"
    assert {line["state"] for line in body["lines"]} == {"paid"}


def test_another_zones_release_is_404(api, wage_petition, mediator, outsider):
    release = draft(wage_petition, mediator)

    assert error_of(api(outsider).get(url(release)))["code"] == "not_found"
    assert api(outsider).post(url(release, "submit")).status_code == 404


def draft_body(petition, lines=None):
    return {
        "petition": petition.pk,
        "reason": "Rent due.",
        "lines": [
            {**line, "amount": str(line["amount"])} for line in (lines or default_lines(petition))
        ],
    }


def test_drafting_answers_201_once_per_idempotency_key(api, wage_petition, mediator):
    client = api(mediator)
    body = draft_body(wage_petition)

    first = client.post("/api/releases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post("/api/releases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json() and Release.objects.count() == 1
    assert first.json()["status"] == "draft"


def test_a_draft_over_the_cap_is_400_per_line(api, wage_petition, mediator):
    lines = default_lines(wage_petition)
    lines[0]["amount"] = "2490.01"

    response = api(mediator).post("/api/releases/", draft_body(wage_petition, lines), format="json")

    error = error_of(response)
    assert response.status_code == 400
    assert "capped at ¥2,490.00" in error["fields"]["lines"][0]


def test_a_clerk_may_not_draft(api, wage_petition, clerk):
    response = api(clerk).post("/api/releases/", draft_body(wage_petition), format="json")

    assert response.status_code == 403


def test_drafting_on_another_zones_petition_is_404(api, wage_petition, outsider):
    assert (
        api(outsider).post("/api/releases/", draft_body(wage_petition), format="json").status_code
        == 404
    )


def test_submit_with_a_stale_status_is_409(api, wage_petition, mediator):
    release = submitted(wage_petition, mediator)

    response = api(mediator).post(url(release, "submit"), {"expected_status": "draft"})

    assert (response.status_code, error_of(response)["code"]) == (409, "conflict")


def test_the_drafter_cannot_approve_by_the_api(api, wage_petition, supervisor, org):
    release = submitted(wage_petition, supervisor)

    response = api(supervisor).post(url(release, "approve"), {"expected_status": "submitted"})

    assert response.status_code == 403
    assert "someone else must" in error_of(response)["message"]


def test_approving_answers_the_release(api, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = api(supervisor).post(url(release, "approve"), {"note": "Go."})

    assert (response.status_code, response.json()["status"]) == (200, "approved")


def test_approving_more_than_the_fund_holds_is_409_insufficient_funds(
    api, wage_petition, mediator, supervisor, finance
):
    corrected(JournalEntry.objects.get(), finance, supervisor, "Test.")
    release = submitted(wage_petition, mediator)

    response = api(supervisor).post(url(release, "approve"))

    assert (response.status_code, error_of(response)["code"]) == (409, "insufficient_funds")
    release.refresh_from_db()
    assert release.status == ReleaseStatus.SUBMITTED


def test_rejecting_without_a_note_is_400(api, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = api(supervisor).post(url(release, "reject"), {"note": ""})

    assert response.status_code == 400 and "note" in error_of(response)["fields"]


def test_only_the_liaison_signs(api, wage_petition, mediator, supervisor, liaison, finance, fund):
    fund.committee_threshold = Decimal("1")
    fund.save()
    release = approved(wage_petition, mediator, supervisor)

    assert api(finance).post(url(release, "sign")).status_code == 403
    assert api(liaison).post(url(release, "sign")).json()["status"] == "approved"


def test_paying_twice_is_409(api, wage_petition, mediator, supervisor, finance):
    release = approved(wage_petition, mediator, supervisor)
    payments = [{"line": ln.pk, "reference": f"B{ln.pk}"} for ln in release.lines.all()]
    client = api(finance)

    first = client.post(url(release, "disburse"), {"payments": payments}, format="json")
    second = client.post(url(release, "disburse"), {"payments": payments}, format="json")

    assert first.status_code == 200 and first.json()["status"] == "disbursed"
    assert (second.status_code, error_of(second)["code"]) == (409, "conflict")


def test_a_payment_without_reference_or_reason_is_400(
    api, wage_petition, mediator, supervisor, finance
):
    release = approved(wage_petition, mediator, supervisor)
    payments = [{"line": release.lines.first().pk}]

    response = api(finance).post(url(release, "disburse"), {"payments": payments}, format="json")

    assert response.status_code == 400 and "payments" in error_of(response)["fields"]


def test_recovering_more_than_is_outstanding_is_400(
    api, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    body = {"amount": "4500.01", "source": "employer"}

    response = api(finance).post(url(release, "recover"), body)

    assert response.status_code == 400 and "amount" in error_of(response)["fields"]


def test_a_recovery_is_booked_once_per_idempotency_key(
    api, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    client, body = api(finance), {"amount": "100.00", "source": "employer"}

    for _ in range(2):
        response = client.post(url(release, "recover"), body, HTTP_IDEMPOTENCY_KEY="r1")

    assert response.json()["outstanding"] == "4400.00"
    assert JournalEntry.objects.filter(kind="recovery").count() == 1


def test_a_mediator_may_not_book_recoveries(api, wage_petition, mediator, supervisor, finance):
    release = disbursed(wage_petition, mediator, supervisor, finance)

    response = api(mediator).post(url(release, "recover"), {"amount": "1", "source": "employer"})

    assert response.status_code == 403


def test_a_write_off_is_proposed_then_signed_twice(
    api, wage_petition, mediator, supervisor, liaison, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    proposal = api(finance).post(
        url(release, "write-offs"), {"amount": "4500.00", "reason": "Deregistered."}
    )
    sign = f"/api/write-offs/{proposal.json()['id']}/sign/"

    assert proposal.status_code == 201
    assert api(finance).post(sign).status_code == 403  # the proposer
    assert api(supervisor).post(sign).json()["state"] == "proposed"
    assert api(liaison).post(sign).json()["state"] == "booked"
    assert api(liaison).post(sign).status_code == 409
    assert api(finance).get(url(release)).json()["status"] == "closed"


def test_the_statement(api, wage_petition, mediator, supervisor, finance, fund):
    disbursed(wage_petition, mediator, supervisor, finance)

    body = (
        api(finance).get(f"/api/funds/{fund.pk}/statement/?start=2000-01-01&end=2100-01-01").json()
    )

    assert (body["contributions"], body["releases"], body["closing"]) == (
        "100000.00",
        "4500.00",
        "95500.00",
    )
    assert body["outstanding"] == "4500.00"


def test_the_statement_needs_a_valid_period_and_ones_own_fund(api, finance, outsider, fund):
    base = f"/api/funds/{fund.pk}/statement/"

    assert api(finance).get(base + "?start=2026-02-01&end=2026-01-01").status_code == 400
    assert api(outsider).get(base + "?start=2026-01-01&end=2026-02-01").status_code == 404
