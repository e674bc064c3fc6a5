"""The access matrix: every URL pattern and API route x every role x own and other zone.

The tables below state, for each route, which roles may read it (GET) and which may act on it
(POST), and what fills its URL parameters; the admin's routes come from `ADMIN_MODELS` and
`ADMIN_SITE`. Every persona works in zone A; zone B beside it holds the same objects, built once
for the module (`world.py`). The rules checked for each route and role:

- an object of the other zone, addressed by id in the URL or named in the body, answers as one
  that does not exist (404): never 200, and never 403, which would confirm that it exists;
- a role the table does not name is refused (403 or 404); an anonymous visitor is sent to the
  login page (pages) or refused (401/403, API); no role enters the admin, which is for
  superusers only (and shows them every zone);
- a page a role may read answers 200 and names nothing of the other zone (nor shows an
  enterprise union another enterprise's petition);
- an enterprise union sees its own enterprise's petition, and nothing else of its zone;
- nothing answers 500.

A route the resolver knows but the tables do not fails `test_every_route_has_an_entry`; the
sockets are in test_socket_matrix.py.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.models import Role

from ..factories import photo, worker_row
from .routes import all_routes
from .world import ANONYMOUS, ROLES, SUPERUSER, build

C, M, S = Role.INTAKE_CLERK, Role.MEDIATOR, Role.SUPERVISOR
L, F, E = Role.COMMITTEE_LIAISON, Role.FINANCE_OFFICER, Role.ENTERPRISE_UNION
A, D = Role.AUDITOR, Role.ADMIN

EVERYONE = frozenset(ROLES)
# Whoever sees the zone's petitions: the enterprise union sees only its own enterprise's, and
# the matrix's petitions are of an enterprise it does not represent.
CASE_READERS = EVERYONE - {E}
# Who sees ID numbers whole, and so may look a worker up by one (a setting).
ID_READERS = frozenset(settings.CASEWORK["ID_NUMBER_FULL_ROLES"])
FRONT_DESK = frozenset({C, M, S, D})
MEDIATION = frozenset({M, S, D})
SUPERVISORS = frozenset({S, D})
LIAISONS = frozenset({L, D})
FINANCE = frozenset({F, D})
FUND = frozenset({S, L, F, A, D})
# Who reads their units' monthly arrears reports; who files them for an enterprise besides its
# own union (the world's enterprise union represents `union_shop`).
ARREARS_READERS = frozenset({M, S, L, A, D})
ARREARS_FILERS = frozenset({E, M, S, D})
FIGURES = frozenset({S, L, A, D})
PUBLIC = "public"


@dataclass(frozen=True)
class Entry:
    """get/act: the roles that may GET / POST (PUBLIC: anyone, signed in or not; None: the
    route answers no such method). fill: URL parameters, a world object's name or a literal.
    refused: the answers that count as a refusal of a role the table does not name."""

    get: frozenset | str | None = None
    act: frozenset | str | None = None
    fill: dict = field(default_factory=dict)
    api: bool = False
    refused: tuple = (403, 404)
    query: str = ""
    body: object = None  # body(zone) -> a valid POST body, so that only the role decides
    # A public page that lists the org tree's units by name (where a worker's job is).
    names_units: bool = False

    @property
    def by_id(self):
        return any(not isinstance(v, Literal) for v in self.fill.values())


class Literal(str):
    """A URL parameter that names no object (a step, a transition)."""


def page(get=None, act=None, refused=(403, 404), body=None, names_units=False, **fill):
    return Entry(get, act, fill, refused=refused, body=body, names_units=names_units)


def api(get=None, act=None, refused=(403, 404), query="", body=None, **fill):
    return Entry(get, act, fill, api=True, refused=refused, query=query, body=body)


def _workers(zone, first, last):
    claims = zone.objects["petition"].claims.order_by("pk")[first:last]
    return [claim.worker_id for claim in claims]


def _intake(zone):
    rows = [{**worker_row(), "claimed_amount": "5000.00"}]
    return {
        "enterprise": zone.objects["enterprise"].pk,
        "channel": "visit",
        "category": "remuneration",
        "description": "Wages unpaid since March.",
        "workers": rows,
    }


def _transfer(zone):
    return {"to_unit": zone.unit.pk, "reason": "The site is the zone's."}


def _send_back(zone):
    return {"reason": "Not ours."}


def _id_number(zone):
    return {"id_number": zone.objects["worker"].id_number}


def _evidence_upload(zone):
    return {"evidence_kind": "iou", "evidence_files": photo()}


def _consent(zone):
    return {"claim": zone.objects["claim"].pk, "channel": "phone"}


def _paper_delivery(zone):
    # The world's one document is the fund's internal form, served on no worker: the front desk
    # is answered 400 after its role is checked.
    return {
        "document": zone.objects["document"].pk,
        "claim": zone.objects["claim"].pk,
        "delivered_on": "2026-01-05",
        "how": "Handed over at the office",
    }


def _release(zone):
    lines = [{"worker": w, "purpose": "wages", "amount": "100.00"} for w in _workers(zone, 6, 8)]
    return {"petition": zone.objects["petition"].pk, "reason": "Rent due.", "lines": lines}


def _payments(zone):
    lines = zone.objects["paid_release"].lines.all()
    return {"payments": [{"line": ln.pk, "reference": f"BANK-{ln.pk}"} for ln in lines]}


def _this_month():
    return timezone.localdate().strftime("%Y-%m")


def _union_shop(zone):
    return {"enterprise": zone.objects["union_shop"].pk}


def _arrears_report(zone):
    return {
        "month": _this_month(),
        "wages": "unpaid",
        "months_in_arrears": "2",
        "workers_affected": "12",
        "amount_owed": "96000.00",
        "production_stopped": "on",
        "note": "",
    }


def _reply(zone):
    today = timezone.localdate().isoformat()
    return {"decision": "accepted", "replied_on": today, "result": "Inspection on Monday."}


def _convert(zone):
    row = worker_row()
    return {
        "description": "Two months unpaid.",
        "workers_text": f"{row['name']}\t{row['id_number']}\t13912345678\t5000.00\t否\t否",
    }


def _tier_change(zone):
    return {"tier": "simple", "reason": "The employer pays today.", "current": "complex"}


def _absence(zone):
    # A leave to come: nothing is released while the matrix runs.
    start = timezone.localdate() + datetime.timedelta(days=30)
    return {
        "mediator": zone.users[M].username,
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=2)).isoformat(),
        "reason": "Annual leave",
    }


def _recusal(zone):
    return {
        "mediator": zone.users[M].username,
        "enterprise": zone.objects["union_shop"].pk,
        "reason": "His brother runs it.",
    }


SESSION = {
    "held_at": "2026-01-03T10:00:00+08:00",
    "place": "Grid office",
    "parties_present": "Three workers",
    "notes": "The employer offers half now.",
    "outcome": "continued",
}


# These routes look at the input or the task's state before the role, so a role they refuse
# may be answered 400 (or 409); it changes nothing. Their role checks are tested with the routes
# themselves (tests/workflows_api, tests/escalation).
INPUT_FIRST = (400, 403, 404)
STATE_FIRST = (403, 404, 409)


ACCEPT, APPROVE = Literal("accept"), Literal("approve")

ROUTES = {
    # Public and the site's frame.
    "home": page(get=PUBLIC),
    "login": page(get=PUBLIC, act=PUBLIC),
    "logout": page(act=PUBLIC),
    "set_language": page(act=PUBLIC),
    # Petitions.
    "casework:petition-list": page(get=EVERYONE),
    "casework:find-by-id": page(act=ID_READERS, body=_id_number),
    "casework:intake": page(get=FRONT_DESK, act=FRONT_DESK),
    "casework:petition-detail": page(get=CASE_READERS, pk="petition"),
    "casework:petition-transition": page(act=FRONT_DESK, pk="petition", name=ACCEPT),
    "casework:petition-link": page(act=FRONT_DESK, pk="petition"),
    "casework:petition-merge": page(get=SUPERVISORS, act=SUPERVISORS, pk="petition"),
    "casework:evidence-add": page(act=FRONT_DESK, pk="petition", body=_evidence_upload),
    "casework:evidence-file": page(get=CASE_READERS, pk="petition", evidence_id="evidence"),
    # The workers' portal: public; a look-up leaves a signed cookie, never an id in the address.
    "portal:home": page(get=PUBLIC),
    "portal:lookup": page(get=PUBLIC, act=PUBLIC),
    "portal:case": page(get=PUBLIC),
    "portal:forget": page(act=PUBLIC),
    "portal:file": page(get=PUBLIC, act=PUBLIC, names_units=True),
    # The worker signs their agreement with the cookie of their look-up (none here: a 404).
    "portal:sign": page(get=PUBLIC, act=PUBLIC, claim_pk="claim"),
    # A worker's own documents and consent: only for the claims their look-up opened (a
    # visitor without one gets 404 for every id).
    "portal:consent": page(act=PUBLIC),
    "portal:document": page(get=PUBLIC, claim_pk="claim", pk="document"),
    # The monthly arrears reports.
    "arrears:home": page(get=ARREARS_READERS | {E}),
    "arrears:missing": page(get=ARREARS_READERS),
    "arrears:reports": page(get=ARREARS_READERS),
    "arrears:enterprise": page(get=ARREARS_READERS | {E}, pk="union_shop"),
    "arrears:file": page(act=ARREARS_FILERS, pk="union_shop", body=_arrears_report),
    "arrears:zero": page(
        act=ARREARS_FILERS, pk="union_shop", body=lambda z: {"month": _this_month()}
    ),
    # Early warnings: the union sees its own enterprise's (the world's warning is of another);
    # the grid's mediators and supervisors work them.
    "prevention:warnings": page(get=ARREARS_READERS | {E}),
    "prevention:warning": page(get=ARREARS_READERS, pk="warning"),
    "prevention:warning-action": page(
        act=MEDIATION, pk="warning", body=lambda z: {"note": "Visited the employer."}
    ),
    "prevention:warning-close": page(
        act=MEDIATION, pk="warning", body=lambda z: {"note": "Wages paid."}
    ),
    "prevention:warning-convert": page(act=MEDIATION, pk="warning", body=_convert),
    "prevention:risk": page(get=ARREARS_READERS),
    "prevention:enterprise": page(get=ARREARS_READERS, pk="enterprise"),
    "prevention:visit": page(
        get=MEDIATION,
        act=MEDIATION,
        pk="enterprise",
        body=lambda z: {"wages": "on_time", "notes": "Nothing owed."},
    ),
    # The emergency fund.
    "fund:release-new": page(get=MEDIATION, act=MEDIATION, pk="petition"),
    "fund:home": page(get=FUND),
    "fund:approvals": page(get=SUPERVISORS),
    "fund:signing": page(get=LIAISONS | SUPERVISORS),
    "fund:finance": page(get=FINANCE),
    "fund:statement": page(get=FUND),
    "fund:contribution": page(act=FINANCE, pk="fund"),
    "fund:correct": page(act=FINANCE, pk="entry", body=lambda z: {"reason": "Booked in error."}),
    # Proposed by another finance officer: a second one, or a supervisor, confirms it.
    "fund:correction-confirm": page(act=FINANCE | SUPERVISORS, pk="correction"),
    "fund:release-detail": page(get=CASE_READERS, pk="release"),
    "fund:release-edit": page(get=MEDIATION, act=MEDIATION, pk="draft"),
    "fund:release-step": page(act=SUPERVISORS, pk="release", step=APPROVE),
    "fund:write-off-sign": page(act=SUPERVISORS | LIAISONS, pk="write_off"),
    # Tasks, deadlines, escalation.
    "workflows:my-tasks": page(get=EVERYONE),
    "workflows:queue": page(get=EVERYONE),
    "workflows:done": page(get=EVERYONE),
    "workflows:board": page(get=SUPERVISORS),
    "workflows:task": page(get=CASE_READERS, pk="task"),
    # The task is the acceptance decision: the front desk's.
    "workflows:claim": page(act=FRONT_DESK, pk="task"),
    "workflows:unassign": page(act=SUPERVISORS, pk="task", refused=STATE_FIRST),
    "workflows:reassign": page(act=SUPERVISORS, pk="task"),
    "workflows:record-session": page(act=MEDIATION, pk="task"),
    "workflows:transition": page(act=FRONT_DESK, pk="task", name=ACCEPT),
    "workflows:extension-request": page(get=MEDIATION, act=MEDIATION, pk="deadline"),
    "workflows:extension-decide": page(get=SUPERVISORS, act=SUPERVISORS, pk="extension"),
    # The complexity tier: whoever may act on the open task (here a queued one), or a
    # supervisor; mediators' leave and recusals: the supervisors of their units.
    "workflows:tier": page(act=FRONT_DESK, pk="petition", body=_tier_change),
    "workflows:absences": page(get=SUPERVISORS, act=SUPERVISORS, body=_absence),
    "workflows:recusals": page(get=SUPERVISORS, act=SUPERVISORS, body=_recusal),
    "workflows:transfers": page(get=EVERYONE),
    "workflows:transfer-request": page(
        get=FRONT_DESK, act=FRONT_DESK, pk="petition", body=_transfer, names_units=True
    ),
    "workflows:transfer-accept": page(act=FRONT_DESK, pk="transfer"),
    "workflows:transfer-return": page(act=FRONT_DESK, pk="transfer", body=_send_back),
    "escalation:list": page(get=LIAISONS),
    "escalation:detail": page(get=LIAISONS, pk="escalation"),
    "escalation:step": page(act=LIAISONS, pk="escalation", action=Literal("acknowledge")),
    "escalation:escalate": page(
        act=SUPERVISORS, pk="petition", body=lambda z: {"note": "The owner is missing."}
    ),
    # Case documents: anyone checks a PDF's seal; staff who see the case download its documents,
    # the front desk records consent and paper delivery and tries a failed one again.
    "documents:verify": page(get=PUBLIC, act=PUBLIC),
    "documents:download": page(get=CASE_READERS, pk="document"),
    "documents:regenerate": page(act=FRONT_DESK, pk="document", refused=STATE_FIRST),
    "documents:consent": page(act=FRONT_DESK, pk="petition", body=_consent),
    "documents:paper-delivery": page(act=FRONT_DESK, pk="petition", body=_paper_delivery),
    # Elections of a group's representatives: run by the petition's mediators and the liaison;
    # the workers vote on the public pages with the code from their slip.
    "elections:open": page(get=MEDIATION | LIAISONS, act=MEDIATION | LIAISONS, pk="petition"),
    "elections:reissue": page(act=MEDIATION | LIAISONS, pk="election"),
    "elections:close": page(act=MEDIATION | LIAISONS, pk="election"),
    "elections:resolve": page(act=MEDIATION | LIAISONS, pk="election"),
    "elections:vote": page(get=PUBLIC, act=PUBLIC),
    "elections:ballot": page(get=PUBLIC, act=PUBLIC),
    # Signing a mediation agreement and applying for its judicial confirmation: the petition's
    # mediators (the open step on the world's group petition is refused for its state, 400).
    "agreements:open": page(get=MEDIATION, act=MEDIATION, pk="petition"),
    "agreements:sign": page(get=MEDIATION, act=MEDIATION, pk="signer"),
    "agreements:reissue": page(act=MEDIATION, pk="signer"),
    "agreements:cancel": page(
        act=MEDIATION, pk="signing", body=lambda z: {"reason": "The terms change."}
    ),
    "agreements:prepare": page(get=MEDIATION, act=MEDIATION, pk="signing"),
    "agreements:ruling": page(get=MEDIATION, act=MEDIATION, pk="confirmation"),
    # Supervision (督办): the zone's order on its grid's petition. The zone's supervisors issue
    # and close (an empty form: 400), the grid's mediator replies; whoever holds a role over the
    # case reads the order.
    "supervision:list": page(get=frozenset({M, S, L, A, D})),
    "supervision:issue": page(get=SUPERVISORS | {L}, act=SUPERVISORS | {L}, pk="petition"),
    "supervision:order": page(get=CASE_READERS, pk="supervision_order"),
    "supervision:reply": page(act=frozenset({M}), pk="supervision_order"),
    "supervision:close": page(act=SUPERVISORS | {L}, pk="supervision_order"),
    # Other departments: the zone's supervisors keep its list and liaison logins; the petition's
    # mediators refer, ask for joint handling and record what comes back; anyone's inbox lists
    # only what is asked of them (a department liaison: tests below).
    "departments:list": page(get=SUPERVISORS),
    "departments:inbox": page(get=EVERYONE),
    "departments:new": page(
        get=SUPERVISORS,
        act=SUPERVISORS,
        pk="zone",
        body=lambda z: {"name": f"{z.unit.code} court", "kind": "court"},
    ),
    "departments:edit": page(
        get=SUPERVISORS,
        act=SUPERVISORS,
        pk="department",
        body=lambda z: {"name": z.objects["department"].name, "kind": "labor_inspection"},
    ),
    "departments:active": page(act=SUPERVISORS, pk="department", body=lambda z: {"active": "1"}),
    "departments:liaison-new": page(
        get=SUPERVISORS,
        act=SUPERVISORS,
        pk="department",
        body=lambda z: {"username": f"{z.unit.code}-new", "name": "Li", "password": "Lx-9f2k!pq"},
    ),
    "departments:liaison-remove": page(act=SUPERVISORS, pk="liaison"),
    "departments:refer": page(
        get=MEDIATION,
        act=MEDIATION,
        pk="petition",
        body=lambda z: {"department": z.objects["department"].pk, "sent_what": "Payroll."},
    ),
    "departments:reference": page(
        act=MEDIATION, pk="referral", body=lambda z: {"reference": "JC-1"}
    ),
    "departments:reply": page(get=MEDIATION, act=MEDIATION, pk="referral", body=_reply),
    "departments:extend": page(
        act=MEDIATION, pk="arbitration_referral", body=lambda z: {"reason": "Complex."}
    ),
    "departments:award": page(
        act=MEDIATION,
        pk="arbitration_referral",
        body=lambda z: {"award_on": timezone.localdate().isoformat(), "award": "Pays."},
    ),
    "departments:part-new": page(
        get=MEDIATION,
        act=MEDIATION,
        pk="petition",
        body=lambda z: {"asked": "Freeze assets.", "department": z.objects["department"].pk},
    ),
    "departments:part-finish": page(
        get=MEDIATION, act=MEDIATION, pk="part", body=lambda z: {"result": "Verified."}
    ),
    "departments:part-withdraw": page(act=MEDIATION, pk="part", body=lambda z: {"reason": "Paid."}),
    # Notifications: one's own only.
    "notifications:inbox": page(get=EVERYONE),
    "notifications:mark-all-read": page(act=EVERYONE),
    "notifications:mark-read": page(act=EVERYONE, pk="notification:self"),
    # The API.
    "api:token": api(act=PUBLIC),
    "api:schema": api(get=PUBLIC),
    "api:docs": api(get=PUBLIC),
    "api:petition-list": api(get=EVERYONE, act=FRONT_DESK, body=_intake),
    "api:petition-detail": api(get=CASE_READERS, pk="petition"),
    "api:petition-find-by-id-number": api(act=ID_READERS, body=_id_number),
    "api:petition-link": api(
        act=FRONT_DESK, pk="petition", body=lambda z: {"description": "Two more months."}
    ),
    "api:petition-transition": api(act=FRONT_DESK, pk="petition", name=ACCEPT),
    "fund-api:release-list": api(get=EVERYONE, act=MEDIATION, body=_release),
    "fund-api:release-detail": api(get=CASE_READERS, pk="release"),
    "fund-api:release-approve": api(act=SUPERVISORS, pk="release"),
    "fund-api:release-reject": api(act=SUPERVISORS, pk="release"),
    "fund-api:release-sign": api(act=LIAISONS, pk="release"),
    "fund-api:release-submit": api(act=MEDIATION, pk="release"),
    "fund-api:release-disburse": api(act=FINANCE, pk="paid_release", body=_payments),
    "fund-api:release-recover": api(
        act=FINANCE, pk="paid_release", body=lambda z: {"amount": "1.00", "source": "employer"}
    ),
    "fund-api:release-write-off": api(
        act=FINANCE | SUPERVISORS,
        pk="paid_release",
        body=lambda z: {"amount": "1.00", "reason": "Deregistered."},
    ),
    "fund-api:write-off-sign": api(act=SUPERVISORS | LIAISONS, pk="write_off"),
    "fund-api:fund-statement": api(get=FUND, pk="fund", query="?start=2026-01-01&end=2026-12-31"),
    # The figures: of the user's first unit when the query names none.
    "figures:page": page(get=FIGURES),
    "figures:export": page(get=FIGURES),
    # The monthly report: of the user's first unit and last month when the query names none.
    "figures:monthly-pdf": page(get=FIGURES),
    "figures:monthly-xlsx": page(get=FIGURES),
    "figures-api:figures": api(get=FIGURES, query="?start=2026-01-01&end=2026-12-31"),
    # The monthly arrears reports: the list is filtered to what the user reads.
    "arrears-api:reports": api(
        get=EVERYONE,
        act=ARREARS_FILERS,
        body=lambda z: {**_arrears_report(z), "production_stopped": True, **_union_shop(z)},
    ),
    "arrears-api:zero": api(
        act=ARREARS_FILERS, body=lambda z: {"month": _this_month(), **_union_shop(z)}
    ),
    "arrears-api:missing": api(get=ARREARS_READERS),
    "prevention-api:warnings": api(get=ARREARS_READERS | {E}),
    "api/^(?P<path>.*)$": api(get=PUBLIC, act=PUBLIC, path=Literal("nothing/here/")),
    "tasks-api:task-list": api(get=EVERYONE),
    "tasks-api:task-counts": api(get=EVERYONE),
    "tasks-api:task-detail": api(get=CASE_READERS, pk="task"),
    "tasks-api:task-claim": api(act=FRONT_DESK, pk="task"),
    "tasks-api:task-unclaim": api(act=SUPERVISORS, pk="task", refused=STATE_FIRST),
    "tasks-api:task-reassign": api(
        act=SUPERVISORS,
        pk="task",
        body=lambda z: {"to_user": z.users[M].username, "reason": "Leave."},
    ),
    # The task decides acceptance, not a mediation: refused for that (400) before the role.
    "tasks-api:task-sessions": api(
        act=MEDIATION, pk="task", body=lambda z: SESSION, refused=INPUT_FIRST
    ),
    "tasks-api:task-complete": api(
        act=FRONT_DESK, pk="task", body=lambda z: {"transition": "accept"}
    ),
}

# The admin site is for superusers only: every role, the zone's administrator among them (staff,
# with every model permission), is sent to the admin's login on every page of it; a superuser
# sees every zone there. Each registered model names the world object to try (None: rules and
# calendars, the same for every zone).
ADMIN_MODELS = {
    "auth.group": None,
    "auth.user": "user",
    "authtoken.tokenproxy": "user",  # a token is addressed by its user's id
    "viewflow.process": "process",
    "viewflow.task": "task",
    "casework.orgunit": "grid",
    "casework.membership": "membership",
    "casework.enterprise": "enterprise",
    "casework.worker": "worker",
    "casework.petition": "petition",
    "casework.caseevent": "event",
    "casework.claim": "claim",
    "casework.petitionsequence": "sequence",
    "casework.idempotencykey": "idempotency_key",
    "fund.minimumwage": "minimum_wage",
    "fund.emergencyfund": "fund",
    "fund.journalentry": "entry",
    "fund.release": "release",
    "fund.writeoff": "write_off",
    "fund.correction": "correction",
    "workflows.petitionprocess": "process",
    "workflows.petitiontask": "task",
    "workflows.calendarday": None,
    "workflows.calendaryear": None,
    "workflows.deadlinerule": None,
    "workflows.tierrule": None,
    "escalation.escalationrule": None,
    "workflows.deadline": "deadline",
    "workflows.deadlinetimer": "timer",
    "escalation.escalation": "escalation",
    "notifications.notification": "notification:supervisor",
    "notifications.preference": "preference",
    "arrears.reportduerule": None,
    "arrears.monthlyreport": "monthly_report",
    "arrears.reportnotice": "report_notice",
    "arrears.responsibilityletter": "responsibility_letter",
    "prevention.warningrule": None,
    "prevention.earlywarning": "warning",
    "prevention.screeningvisit": "visit",
    "supervision.supervisionorder": "supervision_order",
}
# Views of one object, by the suffix of their URL name; and the site's own pages.
ADMIN_OBJECT_VIEWS = ("change", "history", "delete")


def _view_on_site(world, zone):
    petition = world[zone].objects["petition"]
    content_type = ContentType.objects.get_for_model(petition)
    return reverse("admin:view_on_site", args=[content_type.pk, petition.pk])


# The site's own pages: {key: (its URL (of the world), what a superuser gets, what every role
# gets: none said, sent to the admin's login)}.
ADMIN_SITE = {
    "admin:index": (lambda w: reverse("admin:index"), (200,)),
    "admin:login": (lambda w: reverse("admin:login"), (302,), (200,)),
    "admin:logout": (lambda w: reverse("admin:logout"), (405,), (302, 405)),
    "admin:password_change": (lambda w: reverse("admin:password_change"), (200,)),
    "admin:password_change_done": (lambda w: reverse("admin:password_change_done"), (200,)),
    # Claim's petition field: the petitions the admin offers to choose from.
    "admin:autocomplete": (
        lambda w: (
            reverse("admin:autocomplete")
            + "?app_label=casework&model_name=claim&field_name=petition"
        ),
        (200,),
    ),
    "admin:jsi18n": (lambda w: reverse("admin:jsi18n"), (200,)),
    # No model has a page of its own (get_absolute_url) for the admin to send one to.
    "admin:view_on_site": (lambda w: _view_on_site(w, 1), (404,)),
    "admin:app_list": (lambda w: reverse("admin:app_list", args=["casework"]), (200,)),
    "admin/(?P<url>.*)$": (lambda w: "/admin/nothing/here/", (404,)),
}
ADMIN_EXTRA = {
    # Per model: its extra views, {URL name suffix: (URL parameters beside the object's id)}.
    "auth.user": {"password_change": {}},
    "casework.petition": {"transition": {"transition_name": "accept"}},
}


def _admin_keys(label):
    app, model = label.split(".")
    base = f"{app}_{model}"
    keys = {f"admin:{base}_{suffix}" for suffix in ("changelist", "add", *ADMIN_OBJECT_VIEWS)}
    keys |= {f"admin:{base}_{suffix}" for suffix in ADMIN_EXTRA.get(label, {})}
    keys.add(f"admin/{app}/{model}/<path:object_id>/")  # admin's redirect to the change page
    return keys


# An object of the other zone named in a request's body answers as one that does not exist.
# {case: (route key, acting role, the other zone's object, the body naming it: body(zone, ref))}
NOT_FOUND_IN_BODY = {
    "intake's enterprise": (
        "api:petition-list",
        C,
        "enterprise",
        lambda zone, ref: {**_intake(zone), "enterprise": ref},
    ),
    "release's petition": (
        "fund-api:release-list",
        M,
        "petition",
        lambda zone, ref: {**_release(zone), "petition": ref},
    ),
    "release line's worker": (
        "fund-api:release-list",
        M,
        "worker",
        lambda zone, ref: {
            **_release(zone),
            "lines": [{"worker": ref, "purpose": "wages", "amount": "100.00"}],
        },
    ),
    "reassignment's user": (
        "tasks-api:task-reassign",
        S,
        "mediator",
        lambda zone, ref: {"to_user": ref, "reason": "Leave."},
    ),
}


def test_every_route_has_an_entry():
    known = set(ROUTES) | set(ADMIN_SITE)
    for label in ADMIN_MODELS:
        known |= _admin_keys(label)
    registered = {m._meta.label_lower for m in admin.site._registry}
    missing = sorted(key for key, _pattern in all_routes() if key not in known)
    stale = sorted(known - {key for key, _pattern in all_routes()})
    assert (missing, stale, sorted(registered - set(ADMIN_MODELS))) == ([], [], [])


# The data set is built once for the module; each test runs in a savepoint rolled back after it.
@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def _client(world, role):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if role != ANONYMOUS:
        client.force_login(world[0].users[role])
    return client


def _pk(zone, name, role):
    if name == "notification:self":
        name = f"notification:{role if role != ANONYMOUS else S}"
    obj = zone.objects[name]
    return obj.pk


def _url(key, entry, zone, role):
    kwargs = {
        k: (v if isinstance(v, Literal) else _pk(zone, v, role)) for k, v in entry.fill.items()
    }
    if "/" in key:  # an unnamed pattern: the API's catch-all
        return "/api/" + kwargs["path"]
    return reverse(key, kwargs=kwargs) + entry.query


def _send(client, method, url, entry, zone):
    if method == "GET":
        return client.get(url)
    body = entry.body(zone) if entry.body else {}
    if entry.api:
        return client.post(url, body, content_type="application/json")
    return client.post(url, body)


def _sent_to_login(response, login_url):
    return response.status_code == 302 and response["Location"].startswith(login_url)


def _leaks(response, numbers):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    return [n for n in numbers if n in body]


def _methods(entry):
    return [m for m, roles in (("GET", entry.get), ("POST", entry.act)) if roles is not None]


def _check_route(key, entry, role, world):
    own, other = world
    client = _client(world, role)
    # The other zone's petition, and any unit, enterprise, fund or user named after that zone.
    hidden = [other.objects["petition"].number, f"{other.unit.code}-"]
    if not entry.names_units:
        hidden.append(other.unit.name)
    if role == E:  # of its zone, only its own enterprise
        hidden += [own.objects["petition"].number, own.objects["enterprise"].name]
    failures = []

    def expect(ok, what, response):
        if not ok:
            failures.append(f"{what}: {response.status_code} {response.get('Location', '')}")

    for method in _methods(entry):
        allowed = entry.get if method == "GET" else entry.act
        if role != ANONYMOUS and entry.by_id:
            response = _send(client, method, _url(key, entry, other, role), entry, other)
            expect(response.status_code == 404, f"{method} other zone's", response)
        response = _send(client, method, _url(key, entry, own, role), entry, own)
        status = response.status_code
        if allowed == PUBLIC:
            expect(status < 500, f"{method} public", response)
        elif role == ANONYMOUS:
            refused = status in (401, 403) if entry.api else _sent_to_login(response, "/accounts/")
            expect(refused, f"{method} anonymous", response)
        elif role in allowed and method == "GET":
            expect(status == 200, "GET own zone's", response)
        elif role in allowed:
            expect(status < 500 and status not in (403, 404, 405), "POST own zone's", response)
        else:
            expect(status in entry.refused, f"{method} refused role", response)
        if status == 200 and _leaks(response, hidden):
            failures.append(f"GET shows {_leaks(response, hidden)}")
    return failures


ROUTE_CASES = [
    pytest.param(key, role, id=f"{key}-{role}") for key in ROUTES for role in [*ROLES, ANONYMOUS]
]


@pytest.mark.parametrize(("key", "role"), ROUTE_CASES)
def test_route(world, db, key, role):
    failures = _check_route(key, ROUTES[key], role, world)
    assert not failures, "; ".join(failures)


NOT_THERE = 999999  # an id no object has
# What a superuser gets on a model's pages, by URL name suffix (None: the redirect to the change
# page).
SUPERUSER_ANSWERS = {
    "changelist": 200,
    "add": 200,
    "change": 200,
    "history": 200,
    "delete": 200,
    "password_change": 200,
    "transition": 200,
    None: 302,
}
# Records are never written by hand: their admin is read-only, even to a superuser (403).
RECORDS = (
    "casework.caseevent",
    "fund.journalentry",
    "fund.release",
    "fund.writeoff",
    "fund.correction",
    "workflows.petitionprocess",
    "workflows.petitiontask",
    "workflows.deadline",
    "workflows.deadlinetimer",
    "escalation.escalation",
    "arrears.monthlyreport",
    "arrears.reportnotice",
    "prevention.earlywarning",
    "prevention.screeningvisit",
    "supervision.supervisionorder",
)
# {label: {suffix: answer}} where a model's page answers otherwise.
SUPERUSER_EXCEPTIONS = {
    **{label: {"add": 403, "delete": 403} for label in RECORDS},
    # Started by the flows, seeded one per kind, written by the events: none added by hand.
    "viewflow.process": {"add": 403},
    "viewflow.task": {"add": 403},
    "workflows.deadlinerule": {"add": 403},
    "notifications.notification": {"add": 403},
    # A petition is added through intake, which numbers it: the admin sends one there.
    "casework.petition": {"add": 302},
}


def _admin_url(label, suffix, object_id=None):
    app, model = label.split(".")
    if suffix is None:  # the unnamed redirect to the change page
        return f"/admin/{app}/{model}/{object_id}/"
    args = [] if object_id is None else [object_id]
    kwargs = ADMIN_EXTRA.get(label, {}).get(suffix, {})
    if kwargs:
        return reverse(f"admin:{app}_{model}_{suffix}", kwargs={"object_id": object_id, **kwargs})
    if suffix == "password_change":
        return reverse("admin:auth_user_password_change", args=args)
    return reverse(f"admin:{app}_{model}_{suffix}", args=args)


def _admin_urls(label, zone):
    """{URL name suffix: URL} of every page of the model, for the zone's object."""
    name = ADMIN_MODELS[label]
    urls = {"changelist": _admin_url(label, "changelist"), "add": _admin_url(label, "add")}
    if name:
        object_id = _pk(zone, name, S)
        for suffix in [*ADMIN_OBJECT_VIEWS, *ADMIN_EXTRA.get(label, {}), None]:
            urls[suffix] = _admin_url(label, suffix, object_id)
    return urls


def _check_admin_model(label, role, world):
    own, other = world
    client = _client(world, role)
    failures = []
    if role != SUPERUSER:  # every page of the admin sends them to its login
        for url in _admin_urls(label, own).values():
            response = client.get(url)
            if not _sent_to_login(response, "/admin/login/"):
                failures.append(f"GET {url}: {response.status_code}")
        return failures
    # The superuser reaches any zone's object: the other zone's is tried.
    for suffix, url in _admin_urls(label, other).items():
        response = client.get(url)
        answer = SUPERUSER_EXCEPTIONS.get(label, {}).get(suffix, SUPERUSER_ANSWERS[suffix])
        if response.status_code != answer or _sent_to_login(response, "/admin/login/"):
            failures.append(f"GET {url}: {response.status_code}")
    return failures


ADMIN_CASES = [
    pytest.param(label, role, id=f"{label}-{role}")
    for label in ADMIN_MODELS
    for role in [*ROLES, ANONYMOUS, SUPERUSER]
]


@pytest.mark.parametrize(("label", "role"), ADMIN_CASES)
def test_admin_model(world, db, label, role):
    failures = _check_admin_model(label, role, world)
    assert not failures, "; ".join(failures)


def _check_admin_site(key, role, world):
    url, superuser_answers, *others = ADMIN_SITE[key]
    response = _client(world, role).get(url(world))
    if role == SUPERUSER:
        ok = response.status_code in superuser_answers
    elif others:
        ok = response.status_code in others[0]
    else:
        ok = _sent_to_login(response, "/admin/login/")
    failures = [] if ok else [f"GET: {response.status_code} {response.get('Location', '')}"]
    return failures


ADMIN_SITE_CASES = [
    pytest.param(key, role, id=f"{key}-{role}")
    for key in ADMIN_SITE
    for role in [*ROLES, ANONYMOUS, SUPERUSER]
]


@pytest.mark.parametrize(("key", "role"), ADMIN_SITE_CASES)
def test_admin_site(world, db, key, role):
    failures = _check_admin_site(key, role, world)
    assert not failures, "; ".join(failures)


def _answer_to(client, url, body, ref):
    """The answer to a body naming `ref`, with `ref` taken out of it."""
    response = client.post(url, body, content_type="application/json")
    return response.status_code, response.content.decode().replace(str(ref), "REF")


@pytest.mark.parametrize("name", [pytest.param(name, id=name) for name in NOT_FOUND_IN_BODY])
def test_another_zones_object_in_a_body_answers_as_a_missing_one(world, db, name):
    own, other = world
    key, role, thing, body = NOT_FOUND_IN_BODY[name]
    client = _client(world, role)
    url = _url(key, ROUTES[key], own, role)
    theirs = other.users[M].username if thing == "mediator" else other.objects[thing].pk
    missing = "nobody" if thing == "mediator" else NOT_THERE

    assert _answer_to(client, url, body(own, theirs), theirs) == _answer_to(
        client, url, body(own, missing), missing
    )


def _numbers(client, world, url, api, **post):
    """The petition numbers a list page or the API answers (a POST if `post` is given)."""
    numbers = [zone.objects[n].number for zone in world for n in ("petition", "union_petition")]
    if api:
        response = (
            client.post(url, post, content_type="application/json") if post else client.get(url)
        )
        body = response.json()
        rows = body if post else body["results"]
        return response.status_code, sorted(row["number"] for row in rows)
    response = client.post(url, post) if post else client.get(url)
    return response.status_code, sorted(n for n in numbers if n in response.content.decode())


def test_the_enterprise_union_sees_its_enterprises_petition_and_nothing_else_of_its_zone(world, db):
    own, other = world
    client = _client(world, E)
    mine = own.objects["union_petition"]

    assert _numbers(client, world, reverse("casework:petition-list"), api=False) == (
        200,
        [mine.number],
    )
    assert _numbers(client, world, reverse("api:petition-list"), api=True) == (200, [mine.number])
    for key in ("casework:petition-detail", "api:petition-detail"):
        assert client.get(reverse(key, args=[mine.pk])).status_code == 200
        theirs = other.objects["union_petition"].pk
        assert client.get(reverse(key, args=[theirs])).status_code == 404


@pytest.mark.parametrize("role", sorted(ID_READERS))
def test_an_id_number_finds_the_worker_at_the_readers_own_units_only(world, db, role):
    own = world[0]
    client = _client(world, role)
    found = []
    for key, api_route in (
        ("casework:find-by-id", False),
        ("api:petition-find-by-id-number", True),
    ):
        for zone in world:
            found.append(_numbers(client, world, reverse(key), api_route, **_id_number(zone)))

    ours, none = (200, [own.objects["petition"].number]), (200, [])
    assert found == [ours, none, ours, none]


# A department's liaison (departments.Liaison, no role in the org tree) answers what is referred
# or assigned to the department on these routes, and reaches nothing else: a page every role
# reads shows them nothing of the zone's cases, every other route refuses them.
LIAISON = "department_liaison"
LIAISON_ROUTES = {
    "departments:inbox",
    "departments:reply",
    "departments:reference",
    "departments:part-finish",
}
# Their own notifications name the case asked of the department.
NAMES_THE_CASE = {*LIAISON_ROUTES, "notifications:inbox"}


def _check_liaison_route(key, entry, world):
    own, other = world
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(own.objects["liaison"].user)
    workers = own.objects["petition"].claims.select_related("worker")
    hidden = [other.objects["petition"].number]
    hidden += [claim.worker.id_number for claim in workers]
    if not entry.names_units:
        hidden.append(other.unit.name)
    if key not in NAMES_THE_CASE:
        hidden += [own.objects["petition"].number, own.objects["enterprise"].name]
    failures = []
    for method in _methods(entry):
        allowed = entry.get if method == "GET" else entry.act
        if entry.by_id:
            response = _send(client, method, _url(key, entry, other, LIAISON), entry, other)
            if response.status_code != 404:
                failures.append(f"{method} other zone's: {response.status_code}")
        response = _send(client, method, _url(key, entry, own, LIAISON), entry, own)
        status = response.status_code
        if allowed == PUBLIC:
            ok = status < 500
        elif key in LIAISON_ROUTES:
            ok = status < 400 or status == 409
        elif allowed == EVERYONE:
            ok = status < 500 and status not in (403, 404) if method == "GET" else status < 500
        else:
            ok = status in (*entry.refused, 401)
        if not ok:
            failures.append(f"{method}: {status} {response.get('Location', '')}")
        if status == 200 and _leaks(response, hidden):
            failures.append(f"{method} shows {_leaks(response, hidden)}")
    return failures


@pytest.mark.parametrize("key", [pytest.param(key, id=key) for key in ROUTES])
def test_a_department_liaison_reaches_only_the_departments_items(world, db, key):
    failures = _check_liaison_route(key, ROUTES[key], world)
    assert not failures, "; ".join(failures)
