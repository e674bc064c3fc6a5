import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from casework import services
from casework.models import Enterprise, Membership, OrgUnit, Petition, Role, Worker
from lib.validators import complete_credit_code, complete_id_number

_serial = itertools.count(1)


def id_number(n=None):
    n = next(_serial) if n is None else n
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 12000)
    return complete_id_number(f"330106{birth:%Y%m%d}{n % 1000:03d}")


def credit_code(n=None):
    n = next(_serial) if n is None else n
    return complete_credit_code(f"91330100MA{n:07d}")


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = OrgUnit.Kind.GRID


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role, unit, enterprise=None, **kwargs):
    """enterprise: the one an enterprise union represents."""
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, org_unit=unit, role=role, enterprise=enterprise)
    return user


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    credit_code = factory.LazyFunction(credit_code)
    industry = "manufacturing"
    headcount = 100


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    id_number = factory.LazyFunction(id_number)


def worker_row(**overrides):
    row = {
        "name": f"Worker {next(_serial)}",
        "id_number": id_number(),
        "phone": "13912345678",
        "claimed_amount": Decimal("5000.00"),
        "non_local": False,
        "is_representative": False,
    }
    row.update(overrides)
    return row


def record(actor, enterprise, workers=1, **kwargs):
    """A petition recorded through the intake service, as every real one is."""
    rows = workers if isinstance(workers, list) else [worker_row() for _ in range(workers)]
    kwargs.setdefault("channel", Petition.Channel.VISIT)
    kwargs.setdefault("description", "Wages unpaid for three months.")
    return services.record_petition(actor=actor, enterprise=enterprise, workers=rows, **kwargs)


# What each step needs besides the actor, and the shortest way to reach each status.
STEP_INPUT = {
    "reject": {"reason": "Not a labor dispute."},
    "refer_out": {"reason": "Belongs to the court.", "data": {"body": "District court"}},
    "fail_mediation": {"reason": "The employer refused every offer."},
    "record_breach": {"reason": "Nothing paid by the due date."},
    "refer": {"data": {"referral_type": "arbitration", "body": "Zone arbitration commission"}},
    "reopen": {"reason": "The workers brought new evidence."},
    "reach_agreement": {"data": {"signed_on": "2026-01-05", "due_date": "2026-01-20"}},
    "close": {"data": {"outcome_notice": "Told by phone.", "rating": "5"}},
    "record_callback": {"data": {"carried_out": "True", "satisfaction": "4"}},
    "return_to_mediation": {
        "reason": "The employer paid only half.",
        "data": {"carried_out": "False", "satisfaction": "1"},
    },
}
# Steps the petition's mediator may not take: a worker is called back by someone else.
CALLBACK_STEPS = ("record_callback", "return_to_mediation")
PATH_TO = {
    "received": [],
    "accepted": ["accept"],
    "rejected": ["reject"],
    "referred_out": ["refer_out"],
    "in_mediation": ["accept", "start_mediation"],
    "agreement_reached": ["accept", "start_mediation", "reach_agreement"],
    "mediation_failed": ["accept", "start_mediation", "fail_mediation"],
    "fulfilled": ["accept", "start_mediation", "reach_agreement", "confirm_fulfilment"],
    "breached": ["accept", "start_mediation", "reach_agreement", "record_breach"],
    "referred": ["accept", "start_mediation", "reach_agreement", "record_breach", "refer"],
    "closed": [
        "accept",
        "start_mediation",
        "reach_agreement",
        "confirm_fulfilment",
        "record_callback",
        "close",
    ],
    "reopened": [
        "accept",
        "start_mediation",
        "reach_agreement",
        "confirm_fulfilment",
        "record_callback",
        "close",
        "reopen",
    ],
}


def step(petition, name, actor, **overrides):
    kwargs = {**STEP_INPUT.get(name, {}), **overrides}
    if name in CALLBACK_STEPS:  # a representative, as the worker's answer given by default
        called = petition.claims.order_by("-is_representative", "pk").first()
        given = overrides.get("data", {})
        kwargs["data"] = {"claim": str(called.pk), **STEP_INPUT[name]["data"], **given}
    return services.fire_transition(petition, name, actor=actor, **kwargs)


def caller(petition):
    """A front-desk clerk of the petition's unit, who calls its workers back."""
    return user_with_role(Role.INTAKE_CLERK, petition.org_unit)


def called_back(petition):
    """The callback of a fulfilled petition, satisfied, by a clerk of its unit."""
    return step(petition, "record_callback", caller(petition))


def actor_for(petition, name, actor):
    """`actor`, but for the callback: the mediator may not call the workers back."""
    return caller(petition) if name in CALLBACK_STEPS else actor


def drive_to(petition, status, actor):
    for name in PATH_TO[status]:
        step(petition, name, actor_for(petition, name, actor))
    return petition


def release(petition, actor):
    """Put the petition's open task back in the queue, so anyone allowed may take it."""
    from workflows import services as workflow

    task = workflow.open_task(petition)
    if task is not None and task.owner_id is not None:
        workflow.unassign_task(task, actor=actor)
    return task


def photo(name="iou.jpg", size=(40, 30), kind="JPEG"):
    """A real little image as a phone sends it: an upload for an evidence field."""
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(data, kind)
    data.seek(0)
    data.name = name
    return data


def agreement_reached(clerk, mediator, enterprise, rows):
    """A petition of `rows` (two workers) mediated to an agreement: the first worker agreed at
    7,500.00, the second at 6,000.00, due 2026-01-20."""
    petition = record(clerk, enterprise, workers=rows)
    first, second = petition.claims.order_by("pk")
    step(petition, "accept", clerk)
    step(petition, "start_mediation", mediator)
    data = {
        "signed_on": "2026-01-05",
        "due_date": "2026-01-20",
        f"amount_{first.pk}": "7500.00",
        f"amount_{second.pk}": "6000.00",
    }
    step(petition, "reach_agreement", mediator, data=data)
    return petition
