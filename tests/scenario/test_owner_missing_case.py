"""The seeds' case end to end (seeds/000; DESIGN.md, "The real case the product must handle end
to end"): an enterprise's owner disappears and its 150 workers petition together. The zone union
reports to the party working committee at once, which puts the case under its supervision (督办);
the fund advances wages and the fare home of the non-local workers; the labor inspection brigade
verifies the payroll as joint handling (协办); the union mediates, brings in 13 partner employers,
recovers the advance from the employer's assets, calls a representative back (回访) and closes
the case.

Each step goes through the services, as the pages and the API do, at its own moment of June 2026,
and is followed by what it added to the petition's timeline, to people's notifications (after the
commit) and to the fund's ledger.
"""

import datetime
import re
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal

import time_machine
from django.urls import reverse

from casework import services as casework
from casework.models import Petition, Status
from casework.templatetags.casework_pages import step_label
from departments import services as departments
from departments.models import Department
from escalation import services as committee
from escalation.models import Escalation, EscalationRule, JobReferral
from fund import services as fund_services
from fund.flows import open_release_task
from fund.models import (
    Account,
    EmergencyFund,
    FundPurpose,
    JournalEntry,
    MinimumWage,
    Posting,
    ReleaseStatus,
)
from notifications.models import Kind, Notification
from supervision import services as supervision
from workflows.services import open_task

from ..clock import fresh_calendar, local  # noqa: F401 - calendar read afresh
from ..factories import caller, record, step, worker_row
from ..fund.helpers import pay_all

WORKERS, NON_LOCAL = 150, 60
OWED = Decimal("9000.00")  # three months' wages each: ¥1,350,000 in all
MINIMUM_WAGE = Decimal("2490.00")  # the per-worker cap: one month of it
# The non-local workers' fares home as the committee recorded them: (workers, destination, yuan).
FARES = [
    (30, "Shangrao, Jiangxi", Decimal("460.00")),
    (20, "Zunyi, Guizhou", Decimal("620.00")),  # above the ¥500 travel cap
    (10, "Anqing, Anhui", Decimal("285.50")),
]
# 150 × ¥2,490.00 wages + 30 × ¥460.00 + 20 × ¥500.00 + 10 × ¥285.50 travel home; the petition's
# cap is 30% of ¥1,350,000 = ¥405,000.
ADVANCED = Decimal("400155.00")
FUNDED = Decimal("1000000.00")
PARTNER_EMPLOYERS, OPENINGS, REFERRED_EACH = 13, 4, 5


class Since:
    """What the petition's timeline and everyone's notifications gained since the last look."""

    def __init__(self):
        self.event = self.note = 0

    def events(self, petition):
        rows = list(petition.events.filter(pk__gt=self.event).values_list("pk", "transition"))
        self.event = max([self.event, *(pk for pk, _name in rows)])
        return [name for _pk, name in rows]

    def notes(self):
        rows = list(
            Notification.objects.filter(pk__gt=self.note).values_list(
                "pk", "kind", "recipient__username"
            )
        )
        self.note = max([self.note, *(pk for pk, _kind, _user in rows)])
        return sorted((kind, user) for _pk, kind, user in rows)


def ledger(fund):
    """The fund's balance, once its stored balance has been checked against its postings."""
    fund.refresh_from_db()
    [check] = fund_services.reconcile([fund])
    assert check.ok, (check.difference, check.unbalanced)
    return fund.balance


def zone_fund(zone, finance):
    """Zone A's fund, topped up by the government and the union dues; a release above ¥100,000
    needs the committee liaison's signature."""
    MinimumWage.objects.create(
        jurisdiction=zone, monthly_amount=MINIMUM_WAGE, effective_from="2024-01-01"
    )
    fund = EmergencyFund.objects.create(
        zone=zone,
        name="Wage-arrears emergency revolving fund",
        worker_cap_months=Decimal("1"),
        travel_cap=Decimal("500.00"),
        total_cap_percent=Decimal("30"),
        committee_threshold=Decimal("100000.00"),
    )
    for amount, source in (("800000.00", "government"), ("200000.00", "union_dues")):
        fund_services.record_contribution(fund, actor=finance, amount=amount, source=source)
    return fund


def file_group_petition(clerk, enterprise):
    rows = [worker_row(claimed_amount=OWED, non_local=i < NON_LOCAL) for i in range(WORKERS)]
    return record(
        clerk,
        enterprise,
        workers=rows,
        owner_missing=True,
        priority=Petition.Priority.URGENT,
        description="The owner has disappeared; three months' wages unpaid; the plant is shut.",
    )


def committee_takes_charge(esc, liaison):
    committee.acknowledge_escalation(esc, actor=liaison, note="Reported to the committee.")
    committee.record_coordination(
        esc,
        actor=liaison,
        held_on=local(2026, 6, 1).date(),
        departments=["human_resources", "labor_inspection", "public_security", "courts"],
        decisions="Advance wages and fares from the emergency fund; trace the owner; "
        "seal the plant's equipment.",
    )
    committee.form_task_force(
        esc,
        actor=liaison,
        members=[
            {"name": "Xu", "organization": "Party working committee", "position": "leader"},
            {"name": "Zhu", "organization": "Zone union", "position": "deputy"},
            {"name": "Lu", "organization": "Lu's rights workshop", "position": "member"},
        ],
    )


def group_steps(petition, liaison):
    """Five representatives, and the fares home of the 60 non-local workers."""
    esc, claims = petition.escalation, petition.claims.order_by("pk")
    committee.elect_representatives(esc, actor=liaison, claims=list(claims[:5]))
    non_local = iter(claims.filter(non_local=True))
    needs = [
        {"claim": next(non_local), "destination": destination, "amount": fare}
        for count, destination, fare in FARES
        for _n in range(count)
    ]
    committee.record_travel_home(esc, actor=liaison, needs=needs)


def draft_and_submit(petition, fund, mediator):
    """The mediator starts from the lines the rules allow, the committee's fares included."""
    lines = fund_services.proposed_lines(petition, fund, committee.travel_costs(petition))
    release = fund_services.draft_release(
        petition, actor=mediator, reason="Owner missing; workers without rent or fare.", lines=lines
    )
    return fund_services.submit_release(release, actor=mediator)


def job_fair(petition, liaison):
    """13 partner employers, 4 openings each; 5 local workers sent to each, 4 of them hired."""
    esc = petition.escalation
    looking = list(petition.claims.filter(non_local=False).order_by("pk"))
    for n in range(PARTNER_EMPLOYERS):
        vacancy = committee.add_vacancy(
            esc,
            actor=liaison,
            employer=f"Partner employer {n + 1}",
            positions="Machine operator",
            openings=OPENINGS,
        )
        for k, claim in enumerate(looking[n * REFERRED_EACH : (n + 1) * REFERRED_EACH]):
            result = JobReferral.Result.HIRED if k < OPENINGS else JobReferral.Result.DECLINED
            committee.record_referral(
                esc, actor=liaison, vacancy=vacancy, claim=claim, result=result
            )
    committee.finish_job_referrals(esc, actor=liaison)


def labor_inspection(zone, supervisor):
    """The zone's labor inspection brigade, and the login of its liaison."""
    brigade = departments.add_department(
        zone,
        actor=supervisor,
        name="Zone labor inspection brigade",
        kind=Department.Kind.LABOR_INSPECTION,
        contact_person="Wang",
        phone="0570-4012345",
    )
    liaison = departments.add_liaison(
        brigade, actor=supervisor, username="inspector", name="Wang", password="Brigade-2026!"
    )
    return brigade, liaison.user


def timeline_on_page(client, petition):
    """The step labels of the petition page's timeline, top to bottom."""
    page = client.get(reverse("casework:petition-detail", args=[petition.pk]))
    assert page.status_code == 200
    timeline = page.content.decode().split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    return re.findall(r"<strong>(.*?)</strong>", timeline)


def test_a_150_worker_owner_missing_case_from_intake_to_closure(
    org,
    clerk,
    mediator,
    supervisor,
    liaison,
    finance,
    outsider,
    enterprise,
    client,
    django_capture_on_commit_callbacks,
):
    fund = zone_fund(org["zone_a"], finance)
    since = Since()

    with time_machine.travel(local(2026, 6, 1, 9, 30), tick=False) as clock:

        @contextmanager
        def on(*moment):
            """One step, at its moment, committed: its notifications go out."""
            clock.move_to(local(*moment))
            with django_capture_on_commit_callbacks(execute=True):
                yield

        # Monday morning: the workers come to the front desk together.
        with on(2026, 6, 1, 9, 30):
            petition = file_group_petition(clerk, enterprise)
        assert petition.is_group and petition.claims.count() == WORKERS
        assert Escalation.objects.filter(petition=petition).count() == 1
        assert petition.escalation.reasons == sorted(
            [
                EscalationRule.Kind.GROUP,
                EscalationRule.Kind.WORKERS_ABOVE,
                EscalationRule.Kind.OWNER_MISSING,
                EscalationRule.Kind.CLAIMED_ABOVE,
            ]
        )
        assert since.events(petition) == ["receive", "tier_set", "escalate"]
        assert petition.events.get(transition="tier_set").data["tier"] == "complex"
        assert since.notes() == [
            (Kind.ESCALATED, "liaison"),
            (Kind.GROUP_PETITION_FILED, "liaison"),
            (Kind.GROUP_PETITION_FILED, "supervisor"),
        ]
        alert = Notification.objects.get(kind=Kind.GROUP_PETITION_FILED, recipient=supervisor)
        assert alert.data == {"workers": 150, "enterprise": "Lanxi Textile", "owner_missing": True}
        assert open_task(petition).flow_task.name == "triage"
        assert ledger(fund) == FUNDED

        # The supervisor accepts the case at once; the grid area's mediator gets it.
        with on(2026, 6, 1, 10, 0):
            step(petition, "accept", supervisor, reason="Group visit, owner missing.")
        assert since.events(petition) == ["accept"]
        assert since.notes() == [(Kind.TASK_ASSIGNED, "mediator")]
        assert open_task(petition).owner == mediator

        # The committee takes charge the same afternoon; a mediator is told to draft the release.
        with on(2026, 6, 1, 15, 0):
            committee_takes_charge(petition.escalation, liaison)
            group_steps(petition, liaison)
        assert since.events(petition) == [
            "escalation_acknowledged",
            "coordination_recorded",
            "task_force_formed",
            "representatives_elected",
            "travel_home_recorded",
        ]
        assert since.notes() == [(Kind.TRAVEL_HOME_RECORDED, "mediator")]
        fares = Notification.objects.get(kind=Kind.TRAVEL_HOME_RECORDED)
        assert fares.data == {"workers": NON_LOCAL, "total": "29055.00"}
        assert petition.claims.filter(is_representative=True).count() == 5
        assert committee.open_task(petition.escalation).flow_task.name == "refer_jobs"

        # The committee puts the case under its supervision: the result by the end of June.
        with on(2026, 6, 1, 16, 0):
            order = supervision.issue_order(
                petition,
                actor=liaison,
                issuing_unit=org["zone_a"],
                requirement="Pay the workers and recover the advance; report the result.",
                due_on=datetime.date(2026, 6, 30),
            )
        assert since.events(petition) == ["supervision_ordered"]
        assert since.notes() == [(Kind.SUPERVISION_ORDERED, "mediator")]

        # Tuesday: the release, prefilled within the caps, goes to the supervisor...
        with on(2026, 6, 2, 9, 0):
            release = draft_and_submit(petition, fund, mediator)
        assert Counter((ln.purpose, ln.amount) for ln in release.lines.all()) == {
            (FundPurpose.WAGES, MINIMUM_WAGE): WORKERS,
            (FundPurpose.TRAVEL_HOME, Decimal("460.00")): 30,
            (FundPurpose.TRAVEL_HOME, Decimal("500.00")): 20,
            (FundPurpose.TRAVEL_HOME, Decimal("285.50")): 10,
        }
        assert release.total == ADVANCED
        assert since.events(petition) == ["fund_draft", "fund_submit"]
        assert since.notes() == [(Kind.RELEASE_AWAITING_APPROVAL, "supervisor")]
        assert ledger(fund) == FUNDED

        # ... who approves it; above ¥100,000 the committee liaison must sign too.
        with on(2026, 6, 2, 10, 0):
            release = fund_services.approve_release(release, actor=supervisor, note="Urgent.")
        assert release.status == ReleaseStatus.AWAITING_SIGNATURE
        assert since.events(petition) == ["fund_approve"]
        assert since.notes() == [(Kind.RELEASE_AWAITING_APPROVAL, "liaison")]
        assert fund_services.committed(fund) == ADVANCED  # held back, not yet paid
        assert ledger(fund) == FUNDED

        with on(2026, 6, 2, 11, 0):
            release = fund_services.sign_release(release, actor=liaison)
        assert since.events(petition) == ["fund_sign"]
        assert since.notes() == [(Kind.RELEASE_TO_PAY, "finance")]
        assert Notification.objects.get(kind=Kind.RELEASE_TO_PAY).data == {
            "release": release.pk,
            "amount": "400155.00",
        }

        # Finance pays every line the same day.
        with on(2026, 6, 2, 16, 0):
            release = pay_all(release, finance)
        assert since.events(petition) == ["fund_disburse"]
        assert since.notes() == []
        paid = petition.events.get(transition="fund_disburse").data
        assert (paid["paid"], paid["lines_paid"], paid["lines_unpaid"]) == ("400155.00", 210, 0)
        assert release.status == ReleaseStatus.DISBURSED
        assert ledger(fund) == FUNDED - ADVANCED
        assert fund_services.outstanding(release) == ADVANCED
        assert open_release_task(release).flow_task.name == "recover"

        # Mediation with the shareholders over the plant's assets; the labor inspection brigade
        # verifies the payroll for it, as a part of joint handling.
        with on(2026, 6, 4, 9, 0):
            step(petition, "start_mediation", mediator)
            brigade, inspector = labor_inspection(org["zone_a"], supervisor)
            part = departments.request_part(
                petition,
                actor=mediator,
                asked="Verify the payroll: 150 workers, March to May.",
                department=brigade,
            )
        assert since.events(petition) == ["start_mediation", "joint_part_requested"]
        assert since.notes() == [(Kind.JOINT_PART_ASKED, "inspector")]
        assert part.holder == inspector
        with on(2026, 6, 10, 16, 0):
            departments.finish_part(
                part, actor=inspector, result="Payroll verified: ¥1,350,000 owed to 150 workers."
            )
        assert since.events(petition) == ["joint_part_done"]
        assert since.notes() == [(Kind.JOINT_PART_FINISHED, "mediator")]
        with on(2026, 6, 12, 16, 0):
            casework.record_session(
                petition,
                actor=mediator,
                data={
                    "held_at": "2026-06-12 14:00",
                    "place": "Zone union mediation room",
                    "parties_present": "Five worker representatives; the shareholders; "
                    "the task force",
                    "notes": "The equipment is sold at auction; wages are paid from it.",
                    "outcome": "agreement",
                },
            )
            step(
                petition,
                "reach_agreement",
                mediator,
                data={"signed_on": "2026-06-12", "due_date": "2026-06-30"},
            )
        assert since.events(petition) == ["record_session", "reach_agreement"]
        assert since.notes() == []
        agreed = petition.events.get(transition="reach_agreement").data["agreed_total"]
        assert Decimal(agreed) == WORKERS * OWED

        # The job fair: 13 partner employers.
        with on(2026, 6, 15, 9, 0):
            job_fair(petition, liaison)
        assert since.events(petition) == ["job_referrals_recorded"]
        assert since.notes() == []
        assert petition.events.get(transition="job_referrals_recorded").data == {
            "employers": PARTNER_EMPLOYERS,
            "referred": PARTNER_EMPLOYERS * REFERRED_EACH,
            "hired": PARTNER_EMPLOYERS * OPENINGS,
        }

        # The fund recovers its advance from the auction, in two payments; the workers are paid
        # the rest by the agreed date.
        with on(2026, 6, 22, 10, 0):
            release = fund_services.record_recovery(
                release, actor=finance, amount="250000.00", source="employer_assets"
            )
        assert since.events(petition) == ["fund_recover"]
        assert fund_services.outstanding(release) == Decimal("150155.00")
        assert ledger(fund) == Decimal("849845.00")

        with on(2026, 6, 30, 15, 0):
            step(petition, "confirm_fulfilment", mediator)
            release = fund_services.record_recovery(
                release, actor=finance, amount="150155.00", source="employer_assets"
            )
        assert since.events(petition) == ["confirm_fulfilment", "fund_recover", "fund_close"]
        assert since.notes() == []
        assert release.status == ReleaseStatus.CLOSED
        assert open_release_task(release) is None
        assert fund_services.outstanding(release) == 0
        assert ledger(fund) == FUNDED  # revolving: ready for the next case

        # The mediator reports the result to the committee; the front desk calls a representative
        # back, who confirms the wages were paid.
        with on(2026, 7, 1, 9, 0):
            supervision.reply_to_order(
                order, actor=mediator, kind="result", text="All wages paid; advance recovered."
            )
            step(petition, "record_callback", caller(petition), data={"notes": "All paid."})
        assert since.events(petition) == ["supervision_replied", "record_callback"]
        assert since.notes() == [
            (Kind.SUPERVISION_REPLIED, "liaison"),
            (Kind.SUPERVISION_REPLIED, "supervisor"),
        ]
        called = petition.callbacks.get()
        assert called.claim.is_representative and called.settles

        # The committee closes its order and its escalation; the supervisor closes the case.
        with on(2026, 7, 2, 10, 0):
            supervision.close_order(order, actor=liaison)
            committee.close_escalation(
                petition.escalation,
                actor=liaison,
                outcome="Wages and fares advanced and recovered; 52 workers placed.",
            )
            step(
                petition,
                "close",
                supervisor,
                data={"outcome_notice": "Told the representatives at the union.", "rating": "5"},
            )
        assert since.events(petition) == ["supervision_closed", "escalation_closed", "close"]
        assert since.notes() == [(Kind.CASE_CLOSED, "mediator")]
        assert petition.closures.get().outcome_notice == "Told the representatives at the union."
        assert not Escalation.objects.get(petition=petition).is_open

    petition.refresh_from_db()
    assert petition.status == Status.CLOSED
    assert not petition.deadlines.filter(closed_at=None).exists()
    assert not Notification.objects.filter(recipient=outsider).exists()
    cash = Posting.objects.filter(fund=fund, account=Account.CASH).order_by("pk")
    assert list(cash.values_list("entry__kind", "amount")) == [
        (JournalEntry.Kind.CONTRIBUTION, Decimal("800000.00")),
        (JournalEntry.Kind.CONTRIBUTION, Decimal("200000.00")),
        (JournalEntry.Kind.DISBURSEMENT, -ADVANCED),
        (JournalEntry.Kind.RECOVERY, Decimal("250000.00")),
        (JournalEntry.Kind.RECOVERY, Decimal("150155.00")),
    ]
    timeline = list(petition.events.values_list("transition", flat=True))
    assert timeline == [
        "receive",
        "tier_set",
        "escalate",
        "accept",
        "escalation_acknowledged",
        "coordination_recorded",
        "task_force_formed",
        "representatives_elected",
        "travel_home_recorded",
        "supervision_ordered",
        "fund_draft",
        "fund_submit",
        "fund_approve",
        "fund_sign",
        "fund_disburse",
        "start_mediation",
        "joint_part_requested",
        "joint_part_done",
        "record_session",
        "reach_agreement",
        "job_referrals_recorded",
        "fund_recover",
        "confirm_fulfilment",
        "fund_recover",
        "fund_close",
        "supervision_replied",
        "record_callback",
        "supervision_closed",
        "escalation_closed",
        "close",
    ]
    client.force_login(supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert timeline_on_page(client, petition) == [str(step_label(name)) for name in timeline]
