"""One data set for the access matrix: zone A, where every persona works, and zone B beside it,
each with one object of every kind a URL can address, reached through the services as real
ones are."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.authtoken.models import Token

from agreements import services as agreements
from agreements.models import JudicialConfirmation
from arrears import services as arrears
from arrears.models import ReportNotice, ResponsibilityLetter
from casework.models import Evidence, IdempotencyKey, OrgUnit, PetitionSequence, Role
from departments import services as departments
from departments.models import Department
from documents import render
from documents.models import Document
from elections import services as elections
from escalation.models import Escalation
from fund import services as fund
from fund.models import EmergencyFund, MinimumWage
from notifications.models import Kind, Preference
from notifications.services import publish_on_commit
from prevention import services as prevention
from prevention.models import EarlyWarning
from supervision import services as supervision
from workflows import deadlines, transfers
from workflows.models import Deadline, DeadlineKind, DeadlineTimer

from ..factories import (
    EnterpriseFactory,
    OrgUnitFactory,
    UserFactory,
    record,
    step,
    user_with_role,
    worker_row,
)
from ..fund.helpers import disbursed, draft, line, submitted, workers_of

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
ROLES = list(Role.values)  # the eight roles: every one is a persona of zone A


@dataclass
class Zone:
    """The objects of one zone, by the name the matrix's table uses."""

    unit: OrgUnit
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _zone(federation, name, code):
    unit = OrgUnitFactory(name=name, kind=OrgUnit.Kind.ZONE, code=code, parent=federation)
    grid = OrgUnitFactory(name=f"{name} grid", parent=unit)
    zone = Zone(unit)
    # The enterprise union represents an enterprise of its own, not the one whose petitions the
    # matrix's routes address: it sees none of those (the matrix's CASE_READERS).
    union_shop = EnterpriseFactory(name=f"{name} Dyeworks", grid_area=grid)
    for role in ROLES:
        # The mediator and the enterprise union work in the grid area, the others zone-wide.
        at = grid if role in (Role.MEDIATOR, Role.ENTERPRISE_UNION) else unit
        represents = union_shop if role == Role.ENTERPRISE_UNION else None
        zone.users[role] = user_with_role(role, at, represents, username=f"{code}-{role}")
    zone.objects["grid"] = grid
    zone.objects["enterprise"] = EnterpriseFactory(name=f"{name} Textile", grid_area=grid)
    zone.objects["union_shop"] = union_shop
    return zone


def _staff(user):
    """The zone's administrator is staff with every model permission, and still not let into
    the admin site: that is for superusers only."""
    group, _created = Group.objects.get_or_create(name="matrix-admins")
    group.permissions.set(Permission.objects.all())
    user.is_staff = True
    user.save()
    user.groups.add(group)


def _fill(zone):
    users, objects = zone.users, zone.objects
    clerk, mediator = users[Role.INTAKE_CLERK], users[Role.MEDIATOR]
    supervisor, finance = users[Role.SUPERVISOR], users[Role.FINANCE_OFFICER]
    MinimumWage.objects.create(
        jurisdiction=zone.unit,
        monthly_amount=Decimal("2490.00"),
        effective_from=datetime.date(2024, 1, 1),
    )
    emergency_fund = EmergencyFund.objects.create(
        zone=zone.unit,
        name=f"{zone.unit.name} fund",
        worker_cap_months=Decimal("1"),
        travel_cap=Decimal("500"),
        total_cap_percent=Decimal("30"),
        committee_threshold=Decimal("5000"),
    )
    fund.record_contribution(emergency_fund, actor=finance, amount="100000.00", source="government")
    # A contribution booked twice: a second finance officer proposes its reversal, for one of the
    # personas to confirm (the proposer may not).
    twice = fund.record_contribution(
        emergency_fund, actor=finance, amount="10.00", source="donation"
    )
    colleague = user_with_role(Role.FINANCE_OFFICER, zone.unit, username=f"{zone.unit.code}-f2")
    correction = fund.propose_correction(twice, actor=colleague, reason="Booked twice.")
    # A group petition: escalated and announced on intake.
    rows = [worker_row(claimed_amount=Decimal("8000.00"), non_local=i == 1) for i in range(12)]
    petition = record(clerk, objects["enterprise"], workers=rows, owner_missing=True)
    workers = workers_of(petition)
    paid = disbursed(petition, mediator, supervisor, finance, [line(w) for w in workers[:2]])
    write_off = fund.propose_write_off(paid, actor=finance, amount="100.00", reason="Gone.")
    deadline = Deadline.objects.get(petition=petition, rule__kind=DeadlineKind.HANDLING)
    union_shop = objects["union_shop"]
    # A month long past: the matrix files this month's report.
    report = arrears.file_zero_report(
        union_shop, datetime.date(2025, 1, 1), actor=users[Role.ENTERPRISE_UNION]
    )
    # A screening visit that opens a red warning on the zone's enterprise.
    visit = prevention.record_visit(
        objects["enterprise"], actor=mediator, owner_unreachable=True, notes="Gate locked."
    )
    objects.update(
        visit=visit,
        warning=EarlyWarning.objects.get(enterprise=objects["enterprise"]),
        fund=emergency_fund,
        entry=emergency_fund.entries.first(),
        correction=correction,
        union_petition=record(clerk, objects["union_shop"]),
        petition=petition,
        worker=petition.claims.first().worker,
        claim=petition.claims.first(),
        task=petition.tasks.order_by("pk").last(),
        # Other workers than the paid release's: each worker's cap is one month's wage.
        release=submitted(petition, mediator, [line(w) for w in workers[2:4]]),
        draft=draft(petition, mediator, [line(w) for w in workers[4:6]]),
        paid_release=paid,
        write_off=write_off,
        deadline=deadline,
        extension=deadlines.request_extension(deadline, actor=mediator, reason="Many workers."),
        escalation=Escalation.objects.get(petition=petition),
        membership=supervisor.memberships.first(),
        user=supervisor,
        token=Token.objects.create(user=supervisor),
        minimum_wage=MinimumWage.objects.get(jurisdiction=zone.unit),
        event=petition.events.first(),
        sequence=PetitionSequence.objects.get(zone=zone.unit),
        process=petition.tasks.first().process,
        timer=DeadlineTimer.objects.filter(deadline__petition=petition).first(),
        preference=Preference.objects.create(user=supervisor, language="en"),
        monthly_report=report,
        report_notice=ReportNotice.objects.create(
            enterprise=union_shop,
            month=datetime.date(2025, 2, 1),
            kind=ReportNotice.Kind.REMINDER,
            sent_at=timezone.now(),
        ),
        responsibility_letter=ResponsibilityLetter.objects.create(
            enterprise=union_shop,
            signed_on=datetime.date(2026, 1, 5),
            signed_by="Chair of the union",
            valid_until=datetime.date(2026, 12, 31),
        ),
        idempotency_key=IdempotencyKey.objects.create(
            user=supervisor, key="matrix", fingerprint="0", status_code=201, response={}
        ),
    )
    objects["document"] = _issued(paid)
    objects["transfer"] = _in_transfer(zone)
    _signing(zone)
    _departments(zone)
    objects["evidence"] = Evidence.objects.create(
        petition=petition,
        kind=Evidence.Kind.IOU,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence/iou.pdf"),
        original_name="iou.pdf",
        content_type="application/pdf",
        size=14,
        sha256="0" * 64,
    )
    # The group petition's election of its representatives, open.
    objects["election"], _slips = elections.open_election(
        petition, actor=users[Role.COMMITTEE_LIAISON], seats=3
    )
    # The zone's supervision order on its grid's petition.
    objects["supervision_order"] = supervision.issue_order(
        petition, actor=supervisor, issuing_unit=zone.unit, requirement="Report the payroll."
    )
    for role, user in users.items():
        objects[f"notification:{role}"] = publish_on_commit(
            Kind.CASE_CLOSED, recipients=[user], text=lambda: "Closed.", petition=petition
        )[0]


def _in_transfer(zone):
    """A petition the zone took up from its grid area and is handing back down: every front-desk
    persona (the grid's mediator too) answers for the grid."""
    supervisor, grid = zone.users[Role.SUPERVISOR], zone.objects["grid"]
    petition = record(zone.users[Role.INTAKE_CLERK], zone.objects["enterprise"])
    up = transfers.request_transfer(petition, actor=supervisor, to_unit=zone.unit, reason="Big.")
    transfers.accept_transfer(up, actor=supervisor)
    return transfers.request_transfer(petition, actor=supervisor, to_unit=grid, reason="Small.")


def _issued(release):
    """The paid release's approval form, issued: rendered here without the seal (the matrix
    tests who reaches it; tests/documents what it says and its seal)."""
    document = Document.objects.get(petition=release.petition, kind=Document.Kind.FUND_APPROVAL)
    data = render.pdf_bytes(document)
    document.file.save("approval.pdf", ContentFile(data), save=False)
    document.state = Document.State.READY
    document.save()
    return document


def _signing(zone):
    """A petition whose agreement is being signed (its document taken as issued, unsealed), and
    an application for its judicial confirmation, written directly (tests/agreements make real
    ones from a signed agreement)."""
    clerk, mediator = zone.users[Role.INTAKE_CLERK], zone.users[Role.MEDIATOR]
    petition = record(clerk, zone.objects["enterprise"], workers=2)
    for name, actor in (("accept", clerk), ("start_mediation", mediator)):
        step(petition, name, actor)
    step(petition, "reach_agreement", mediator)
    document = Document.objects.get(petition=petition, kind=Document.Kind.AGREEMENT)
    document.state, document.sha256 = Document.State.READY, "0" * 64
    document.save()
    session, _codes = agreements.open_signing(petition, actor=mediator, representative="Zhao Gang")
    zone.objects.update(
        signing=session,
        signer=session.signers.get(role="employer"),
        confirmation=JudicialConfirmation.objects.create(
            session=session,
            petition=petition,
            court="District court",
            application=document,
            prepared_by=mediator,
            prepared_at=timezone.now(),
        ),
    )


def _departments(zone):
    """The zone's labor inspection with a liaison login, a referral to it awaiting the reply and
    a part asked of it; the zone's arbitration committee, which accepted an application."""
    mediator, supervisor = zone.users[Role.MEDIATOR], zone.users[Role.SUPERVISOR]
    petition, name = zone.objects["petition"], zone.unit.name
    inspection = Department.objects.create(
        zone=zone.unit, name=f"{name} labor inspection", kind=Department.Kind.LABOR_INSPECTION
    )
    committee = Department.objects.create(
        zone=zone.unit, name=f"{name} arbitration", kind=Department.Kind.ARBITRATION
    )
    liaison = departments.add_liaison(
        inspection,
        actor=supervisor,
        username=f"{zone.unit.code}-department",
        name="Wang",
        password="Lx-9f2k!pq",
    )
    arbitration = departments.send_referral(
        petition,
        actor=mediator,
        department=committee,
        sent_what="Application for arbitration.",
        known_on=datetime.date(2026, 1, 5),
    )
    departments.record_reply(
        arbitration,
        actor=mediator,
        accepted=True,
        result="Accepted.",
        replied_on=timezone.localdate(),
    )
    zone.objects.update(
        zone=zone.unit,
        department=inspection,
        liaison=liaison,
        referral=departments.send_referral(
            petition, actor=mediator, department=inspection, sent_what="Payroll copies."
        ),
        arbitration_referral=arbitration,
        part=departments.request_part(
            petition, actor=mediator, asked="Verify the hours.", department=inspection
        ),
    )
    zone.objects["notification:department_liaison"] = publish_on_commit(
        Kind.JOINT_PART_ASKED, recipients=[liaison.user], text=lambda: "Asked.", petition=petition
    )[0]


def build():
    federation = OrgUnitFactory(name="Federation", kind=OrgUnit.Kind.FEDERATION)
    own, other = _zone(federation, "Zone A", "JS"), _zone(federation, "Zone B", "KF")
    for zone in (own, other):
        _staff(zone.users[Role.ADMIN])
        _fill(zone)
    # Not a role: the one who may use the admin site, and sees every zone there.
    own.users[SUPERUSER] = UserFactory(username="root", is_staff=True, is_superuser=True)
    return own, other
