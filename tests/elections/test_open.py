"""Opening an election: who may, on which petitions, with how many seats and until when; the
codes are shown once, on the slips, and kept only as hashes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.exceptions import Conflict, TransitionRefused
from elections import services
from elections.models import Election, Voter

from ..factories import record

pytestmark = pytest.mark.django_db


def _open_page(login, user, petition, **data):
    body = {"seats": "3", "closes_at": "", **data}
    if not body["closes_at"]:
        later = timezone.localtime() + datetime.timedelta(hours=24)
        body["closes_at"] = later.strftime("%Y-%m-%dT%H:%M")
    return login(user).post(f"/elections/petitions/{petition.pk}/open/", body)


def test_the_liaison_opens_an_election_and_sees_one_slip_per_worker(login, liaison, group):
    response = _open_page(login, liaison, group)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="slip"') == 12
    assert all(claim.name in page for claim in group.claims.all())
    assert group.number in page and "/vote/" in page
    assert "no-store" in response["Cache-Control"]


def test_the_petitions_mediator_may_open_one(login, mediator, group):
    assert _open_page(login, mediator, group).status_code == 200
    assert Election.objects.filter(petition=group).count() == 1


def test_a_clerk_may_not_open_one(login, clerk, group):
    assert _open_page(login, clerk, group).status_code == 403
    assert not Election.objects.exists()


def test_a_petition_of_another_zone_is_not_found(login, outsider, group):
    assert _open_page(login, outsider, group).status_code == 404
    assert login(outsider).get(f"/elections/petitions/{group.pk}/open/").status_code == 404


def test_only_a_group_petition_elects_representatives(clerk, enterprise, liaison):
    small = record(clerk, enterprise, workers=3)

    with pytest.raises(TransitionRefused):
        services.open_election(small, actor=liaison, seats=1)


def test_the_page_of_a_small_petition_says_why_and_offers_no_form(
    login, liaison, clerk, enterprise
):
    small = record(clerk, enterprise, workers=3)

    response = login(liaison).get(f"/elections/petitions/{small.pk}/open/")

    assert "Only a group petition elects representatives." in response.content.decode()
    assert 'id="open-election"' not in response.content.decode()


def test_more_seats_than_the_limit_are_refused_beside_the_field(login, liaison, group):
    response = _open_page(login, liaison, group, seats="6")

    assert response.status_code == 400
    assert "seats" in response.context["form"].errors
    assert not Election.objects.exists()


def test_the_seat_limit_is_a_setting(settings, liaison, group):
    settings.CASEWORK = {**settings.CASEWORK, "MAX_REPRESENTATIVES": 2}

    with pytest.raises(ValidationError) as refused:
        services.open_election(group, actor=liaison, seats=3)
    assert "seats" in refused.value.message_dict


def test_a_closing_time_beyond_the_maximum_is_refused(liaison, group):
    too_late = timezone.now() + datetime.timedelta(hours=337)

    with pytest.raises(ValidationError) as refused:
        services.open_election(group, actor=liaison, seats=3, closes_at=too_late)
    assert "closes_at" in refused.value.message_dict


def test_the_closing_time_defaults_to_the_setting(liaison, group):
    before = timezone.now()

    election, _slips = services.open_election(group, actor=liaison, seats=3)

    hours = (election.closes_at - before).total_seconds() / 3600
    assert 72 <= hours < 72.01


def test_a_second_open_election_on_the_petition_is_a_conflict(liaison, mediator, opened):
    election, _codes = opened

    with pytest.raises(Conflict):
        services.open_election(election.petition, actor=mediator, seats=2)


def test_codes_are_stored_only_as_hashes(opened):
    election, codes = opened
    stored = list(Voter.objects.values_list("code_hash", flat=True))

    assert len(stored) == 12
    assert not set(codes.values()) & set(stored)
    assert not any(code in hash_ for code in codes.values() for hash_ in stored)
    assert sorted(stored) == sorted(services.code_hash(election.pk, c) for c in codes.values())


def test_codes_use_the_unambiguous_alphabet_and_differ(opened):
    _election, codes = opened

    assert len(set(codes.values())) == 12
    assert all(len(code) == 8 and not set(code) & set("01OIL") for code in codes.values())


def test_the_case_page_never_shows_the_codes_again(login, liaison, group):
    slips = _open_page(login, liaison, group).content.decode()
    codes = [part.split(">")[1][:9] for part in slips.split('class="code"')[1:]]

    page = login(liaison).get(f"/petitions/{group.pk}/").content.decode()

    assert "Voting open" in page
    assert len(codes) == 12 and not any(code in page for code in codes)


def test_opening_is_on_the_timeline(opened):
    election, _codes = opened
    event = election.petition.events.get(transition="election_opened")

    assert event.data["seats"] == 3 and event.data["workers"] == 12


def test_reissuing_a_code_stops_the_old_one_and_is_on_the_timeline(opened, liaison):
    election, codes = opened
    claim = election.petition.claims.order_by("name").first()

    new = services.reissue_code(election, actor=liaison, claim=claim)

    number = election.petition.number
    assert services.find_voter(number, codes[claim.name]) is None
    assert services.find_voter(number, new).claim == claim
    assert election.petition.events.filter(
        transition="election_code_reissued", reason=claim.name
    ).exists()


def test_the_reissue_page_shows_the_one_new_slip(login, liaison, opened):
    election, _codes = opened
    claim = election.petition.claims.first()

    response = login(liaison).post(f"/elections/{election.pk}/reissue/", {"claim": claim.pk})

    assert response.status_code == 200
    assert response.content.decode().count('class="slip"') == 1


def test_a_clerk_may_not_reissue_a_code(login, clerk, opened):
    election, _codes = opened
    claim = election.petition.claims.first()

    response = login(clerk).post(f"/elections/{election.pk}/reissue/", {"claim": claim.pk})

    assert response.status_code == 403


def test_only_the_opener_roles_may_reissue(clerk, opened):
    election, _codes = opened

    with pytest.raises(PermissionDenied):
        services.reissue_code(election, actor=clerk, claim=election.petition.claims.first())
