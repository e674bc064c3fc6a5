"""Complexity tiers: chosen by the tier rules (rows) at intake and again when facts are linked,
changed by hand with a reason; the first-result clock and the zone queue follow the tier."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import services as casework
from casework.exceptions import Conflict
from casework.models import Petition, Role
from workflows import calendar, queues, tiers
from workflows.models import Deadline, DeadlineTimer, TierRule

from ..clock import fresh_calendar, local  # noqa: F401 - each test's calendar
from ..factories import EnterpriseFactory, record, user_with_role, worker_row

pytestmark = pytest.mark.django_db

SIMPLE, ORDINARY, COMPLEX = Petition.Tier.values


def _rows(n, amount="5000.00"):
    return [worker_row(claimed_amount=Decimal(amount)) for _ in range(n)]


def _first_result(petition):
    return Deadline.objects.get(petition=petition, rule__kind__startswith="result_", closed_at=None)


def _working_days_after(moment, days):
    return calendar.end_of_day(calendar.add_working_days(timezone.localdate(moment), days))


def test_one_worker_owed_little_wages_is_simple(clerk, enterprise):
    petition = record(clerk, enterprise, workers=_rows(1))
    assert petition.tier == SIMPLE
    event = petition.events.get(transition="tier_set")
    assert event.data["tier"] == SIMPLE


def test_three_workers_are_ordinary(petition):
    petition.refresh_from_db()
    assert petition.tier == ORDINARY


def test_a_missing_owner_makes_it_complex(clerk, enterprise):
    petition = record(clerk, enterprise, workers=_rows(1), owner_missing=True)
    assert Petition.objects.get(pk=petition.pk).tier == COMPLEX


def test_ten_workers_make_it_complex(clerk, enterprise):
    assert record(clerk, enterprise, workers=_rows(10)).tier == COMPLEX


def test_half_a_million_claimed_makes_it_complex(clerk, enterprise):
    assert record(clerk, enterprise, workers=_rows(2, "250000.00")).tier == COMPLEX


def test_one_worker_of_another_category_is_ordinary(clerk, enterprise):
    petition = record(clerk, enterprise, workers=_rows(1), category=Petition.Category.DISMISSAL)
    assert petition.tier == ORDINARY


def test_the_rules_are_rows_tried_in_order(clerk, enterprise):
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, tier=COMPLEX, workers_at_least=3)
    TierRule.objects.create(position=2, tier=SIMPLE, workers_at_most=5)
    assert record(clerk, enterprise, workers=_rows(3)).tier == COMPLEX
    assert record(clerk, enterprise, workers=_rows(2)).tier == SIMPLE


def test_no_rule_matching_leaves_it_ordinary(clerk, enterprise):
    TierRule.objects.all().delete()
    petition = record(clerk, enterprise, workers=_rows(1), owner_missing=True)
    assert petition.tier == ORDINARY
    assert petition.events.get(transition="tier_set").data["tier"] == ORDINARY


@pytest.mark.parametrize(
    ("rows", "tier", "days"), [(1, SIMPLE, 1), (3, ORDINARY, 7), (12, COMPLEX, 20)]
)
def test_the_first_result_is_due_in_the_tiers_working_days(clerk, enterprise, rows, tier, days):
    petition = record(clerk, enterprise, workers=_rows(rows))
    deadline = _first_result(petition)
    assert deadline.rule.kind == f"result_{tier}"
    assert deadline.due_at == _working_days_after(petition.received_at, days)


def test_a_first_result_stops_the_clock(clerk, mediator, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    casework.fire_transition(petition, "reject", actor=mediator, reason="Not a labor dispute.")
    assert not Deadline.objects.filter(
        petition=petition, rule__kind__startswith="result_", closed_at=None
    ).exists()


def test_changing_the_tier_moves_the_first_result_deadline(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    old_due = _first_result(petition).due_at
    tiers.change_tier(petition, actor=supervisor, tier=COMPLEX, reason="Three subcontractors.")
    petition.refresh_from_db()
    deadline = _first_result(petition)
    assert petition.tier == COMPLEX
    assert deadline.rule.kind == "result_complex"
    assert deadline.due_at == _working_days_after(petition.received_at, 20) != old_due
    assert DeadlineTimer.objects.filter(deadline=deadline, for_due_at=deadline.due_at).exists()


def test_a_tier_change_is_on_the_timeline_with_its_reason(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    tiers.change_tier(petition, actor=supervisor, tier=SIMPLE, reason="Paid half already.")
    event = petition.events.get(transition="tier_changed")
    assert (event.actor, event.reason) == (supervisor, "Paid half already.")
    assert event.data == {"from": ORDINARY, "to": SIMPLE}


def test_a_tier_change_needs_a_reason(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    with pytest.raises(ValidationError) as err:
        tiers.change_tier(petition, actor=supervisor, tier=COMPLEX, reason="  ")
    assert "reason" in err.value.message_dict
    assert Petition.objects.get(pk=petition.pk).tier == ORDINARY
    assert not petition.events.filter(transition="tier_changed").exists()


def test_an_unknown_tier_is_refused(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    with pytest.raises(ValidationError) as err:
        tiers.change_tier(petition, actor=supervisor, tier="huge", reason="Why not.")
    assert "tier" in err.value.message_dict


def test_a_mediator_of_another_grid_may_not_change_the_tier(clerk, org, enterprise):
    elsewhere = user_with_role(Role.MEDIATOR, org["grid_a2"], username="elsewhere")
    petition = record(clerk, enterprise, workers=_rows(3))
    with pytest.raises(PermissionDenied):
        tiers.change_tier(petition, actor=elsewhere, tier=COMPLEX, reason="Looks hard.")


def test_who_saw_an_older_tier_gets_a_conflict(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    tiers.change_tier(petition, actor=supervisor, tier=COMPLEX, reason="First look.")
    with pytest.raises(Conflict):
        tiers.change_tier(
            petition, actor=supervisor, tier=SIMPLE, reason="Second look.", expected=ORDINARY
        )


def test_new_facts_choose_the_tier_again(clerk, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    casework.link_facts(petition, actor=clerk, description="Seven more.", workers=_rows(7))
    petition.refresh_from_db()
    assert petition.tier == COMPLEX
    assert _first_result(petition).rule.kind == "result_complex"
    assert petition.events.filter(transition="tier_set").count() == 2


def test_new_facts_leave_a_tier_changed_by_hand(clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    tiers.change_tier(petition, actor=supervisor, tier=SIMPLE, reason="The employer pays today.")
    casework.link_facts(petition, actor=clerk, description="Seven more.", workers=_rows(7))
    assert Petition.objects.get(pk=petition.pk).tier == SIMPLE


def test_the_queue_puts_the_tighter_first_result_first(clerk, enterprise):
    urgent_ordinary = record(clerk, enterprise, workers=_rows(3), priority=Petition.Priority.URGENT)
    simple = record(clerk, enterprise, workers=_rows(1))
    order = [task.petition_id for task in queues.zone_queue(clerk)]
    assert order == [simple.pk, urgent_ordinary.pk]


def test_the_same_first_result_is_ordered_by_priority(clerk, enterprise):
    normal = record(clerk, enterprise, workers=_rows(3))
    urgent = record(clerk, enterprise, workers=_rows(3), priority=Petition.Priority.URGENT)
    order = [task.petition_id for task in queues.zone_queue(clerk)]
    assert order == [urgent.pk, normal.pk]


def test_a_rule_on_group_petitions(clerk, org):
    TierRule.objects.all().delete()
    TierRule.objects.create(position=1, tier=COMPLEX, is_group=True)
    enterprise = EnterpriseFactory(grid_area=org["grid_a1"])
    assert record(clerk, enterprise, workers=_rows(10)).tier == COMPLEX
    assert record(clerk, enterprise, workers=_rows(9)).tier == ORDINARY


# The pages: the card on the case page, the form, the badge in the task lists.


def test_the_case_page_shows_the_tier_and_its_first_result(login, clerk, mediator, enterprise):
    petition = record(clerk, enterprise, workers=_rows(1))
    page = login(mediator).get(reverse("casework:petition-detail", args=[petition.pk]))
    html = page.content.decode()
    assert 'id="tier-badge">Simple<' in html
    assert "First result due" in html


def test_the_queue_shows_the_tier_badge(login, clerk, enterprise):
    record(clerk, enterprise, workers=_rows(1), owner_missing=True)
    page = login(clerk).get(reverse("workflows:queue"))
    assert "badge-tier-complex" in page.content.decode()


def _post_tier(client, petition, **data):
    body = {"tier": COMPLEX, "reason": "Many subcontractors.", "current": petition.tier, **data}
    return client.post(reverse("workflows:tier", args=[petition.pk]), body)


def test_a_supervisor_changes_the_tier_on_the_case_page(login, clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    response = _post_tier(login(supervisor), petition)
    assert response.status_code == 302
    assert Petition.objects.get(pk=petition.pk).tier == COMPLEX


def test_the_page_refuses_a_change_without_a_reason(login, clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    response = _post_tier(login(supervisor), petition, reason="")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).tier == ORDINARY


def test_the_page_answers_409_to_who_saw_an_older_tier(login, clerk, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    response = _post_tier(login(supervisor), petition, current=SIMPLE)
    assert response.status_code == 409
    assert Petition.objects.get(pk=petition.pk).tier == ORDINARY


def test_an_auditor_may_not_change_the_tier(login, clerk, auditor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    assert _post_tier(login(auditor), petition).status_code == 403


def test_another_zone_does_not_see_the_petition(login, clerk, outsider, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    assert _post_tier(login(outsider), petition).status_code == 404
    assert Petition.objects.get(pk=petition.pk).tier == ORDINARY


def test_a_closed_petition_keeps_its_tier(clerk, mediator, supervisor, enterprise):
    petition = record(clerk, enterprise, workers=_rows(3))
    casework.fire_transition(petition, "reject", actor=mediator, reason="Not a labor dispute.")
    with pytest.raises(PermissionDenied):
        tiers.change_tier(petition, actor=supervisor, tier=COMPLEX, reason="Too late.")


def test_a_simple_case_received_on_a_friday_is_due_on_monday(clerk, enterprise):
    with time_machine.travel(local(2026, 10, 30, 10, 0), tick=False):
        petition = record(clerk, enterprise, workers=_rows(1))
    assert timezone.localdate(_first_result(petition).due_at) == datetime.date(2026, 11, 2)
