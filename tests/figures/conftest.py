"""A hand-made zone A, March 2026, whose figures the tests know by heart:

- P1, grid A1, a visit about wages, owner missing, received 2 March: three workers owed ¥8,000,
  ¥8,000 (non-local) and ¥6,000. The fund pays ¥2,000 to each of the first two and ¥500 travel
  home to the second on 5 March (¥4,500); ¥1,000 is recovered from the employer on 20 March.
  The committee's acknowledgement of its escalation (due 3 March) is breached when the timers
  run on 20 March.
- P2, grid A2, a hotline call about a dismissal, two workers owed ¥5,000 each, received 3 March:
  agreement signed on 10 March for the whole ¥10,000, fulfilled (so paid by the employer) on
  12 March, closed on 13 March rated 4.
- P3, grid A1, received 20 February (before the period), one worker owed ¥3,000: mediation
  fails on 4 March, referred to arbitration on 6 March, closed on 8 March rated 2.
- Outside the figures: a zone B petition of 2 March, and a grid A2 petition of 2 April.
"""

from decimal import Decimal

import pytest
from django.core.management import call_command

from casework.models import Role
from figures import tallies
from fund import services as fund_services
from fund.models import JournalEntry
from tests.clock import clock, fresh_calendar, local  # noqa: F401 - fixtures
from tests.fund.conftest import fund  # noqa: F401 - fixture
from tests.fund.helpers import corrected, disbursed
from workflows import deadlines

from ..factories import EnterpriseFactory, called_back, record, step, user_with_role, worker_row


def owed(*amounts):
    return [worker_row(claimed_amount=Decimal(a)) for a in amounts]


@pytest.fixture
def zone(
    org,
    clerk,
    mediator,
    supervisor,
    finance,
    enterprise,
    fund,  # noqa: F811 - the fixture imported above
    clock,  # noqa: F811 - the fixture imported above
):
    traveller = clock(local(2026, 3, 2, 9))
    shop_a2 = EnterpriseFactory(name="Qiantang Machinery", grid_area=org["grid_a2"])
    shop_b = EnterpriseFactory(name="Binjiang Foods", grid_area=org["grid_b1"])
    p3 = record(clerk, enterprise, workers=owed("3000.00"), received_at=local(2026, 2, 20, 10))
    rows = owed("8000.00", "8000.00", "6000.00")
    rows[1]["non_local"] = True
    p1 = record(clerk, enterprise, workers=rows, owner_missing=True)
    outsider_clerk = _clerk_of(org["zone_b"])
    record(outsider_clerk, shop_b, workers=owed("9000.00"))
    traveller.move_to(local(2026, 3, 3, 9))
    p2 = record(
        clerk,
        shop_a2,
        workers=owed("5000.00", "5000.00"),
        channel="hotline_12351",
        category="dismissal",
    )
    traveller.move_to(local(2026, 3, 4, 9))
    step(p3, "accept", supervisor)
    step(p3, "start_mediation", supervisor)
    step(p3, "fail_mediation", supervisor)
    traveller.move_to(local(2026, 3, 5, 9))
    release = disbursed(p1, mediator, supervisor, finance)
    step(p2, "accept", supervisor)
    step(p2, "start_mediation", supervisor)
    traveller.move_to(local(2026, 3, 6, 9))
    step(p3, "refer", supervisor)
    traveller.move_to(local(2026, 3, 8, 9))
    step(p3, "close", supervisor, data={"outcome_notice": "Told by phone.", "rating": "2"})
    traveller.move_to(local(2026, 3, 10, 9))
    step(
        p2,
        "reach_agreement",
        supervisor,
        data={"signed_on": "2026-03-10", "due_date": "2026-03-12"},
    )
    traveller.move_to(local(2026, 3, 12, 9))
    step(p2, "confirm_fulfilment", supervisor)
    traveller.move_to(local(2026, 3, 13, 9))
    called_back(p2)
    step(p2, "close", supervisor, data={"outcome_notice": "Told in person.", "rating": "4"})
    traveller.move_to(local(2026, 3, 20, 9))
    call_command("run_timers", "--once")  # P1's escalation went unacknowledged since 3 March
    fund_services.record_recovery(
        release, actor=finance, amount="1000.00", source=JournalEntry.Source.EMPLOYER
    )
    fund_services.record_recovery(
        release, actor=finance, amount="300.00", source=JournalEntry.Source.EMPLOYER
    )
    corrected(
        release.entries.get(kind=JournalEntry.Kind.RECOVERY, postings__amount=300),
        finance,
        supervisor,
    )
    traveller.move_to(local(2026, 4, 2, 9))
    record(clerk, shop_a2, workers=owed("7000.00"))
    traveller.move_to(local(2026, 4, 10, 9))
    # The timer loop's recount: the page then reads the tallies, not the records.
    tallies.refresh()
    return {"p1": p1, "p2": p2, "p3": p3, "release": release}


def _clerk_of(unit):
    return user_with_role(Role.INTAKE_CLERK, unit, username="clerk_b")


@pytest.fixture(autouse=True)
def no_first_result_clock(monkeypatch):
    """The figures here count the clocks of acceptance, mediation, handling, payment and the
    committee's acknowledgement; the complexity tier's first-result clock (counted like them,
    tests/workflows/test_tiers.py) is not opened, so the numbers stay those of the story."""
    monkeypatch.setattr(deadlines, "open_first_result", lambda petition: None)
