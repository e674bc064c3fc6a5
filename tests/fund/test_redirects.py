"""The fund's forms go back to the page they came from, never to another site."""

import pytest

from fund import services as services
from fund.models import JournalEntry, ReleaseStatus

from .helpers import disbursed, submitted

pytestmark = pytest.mark.django_db

ELSEWHERE = "https://elsewhere.example/"


def test_a_release_step_does_not_follow_next_off_site(login, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/approve/",
        {"expected_status": "submitted", "next": ELSEWHERE},
    )

    release.refresh_from_db()
    assert release.status == ReleaseStatus.APPROVED
    assert response.status_code == 302 and response.url == f"/fund/releases/{release.pk}/"


def test_signing_a_write_off_does_not_follow_next_off_site(
    login, wage_petition, mediator, supervisor, finance
):
    release = disbursed(wage_petition, mediator, supervisor, finance)
    write_off = services.propose_write_off(release, actor=finance, amount="10", reason="Lost.")

    response = login(supervisor).post(
        f"/fund/write-offs/{write_off.pk}/sign/", {"next": "//elsewhere.example/"}
    )

    assert response.status_code == 302 and response.url == f"/fund/releases/{release.pk}/"


def test_correcting_an_entry_does_not_follow_next_off_site(login, fund, finance):
    entry = JournalEntry.objects.get()

    response = login(finance).post(
        f"/fund/entries/{entry.pk}/correct/", {"reason": "Booked twice.", "next": ELSEWHERE}
    )

    assert response.status_code == 302 and response.url == "/fund/statement/"


def test_next_on_this_site_is_followed(login, wage_petition, mediator, supervisor):
    release = submitted(wage_petition, mediator)

    response = login(supervisor).post(
        f"/fund/releases/{release.pk}/approve/",
        {"expected_status": "submitted", "next": "/fund/approvals/?page=2"},
    )

    assert response.url == "/fund/approvals/?page=2"
