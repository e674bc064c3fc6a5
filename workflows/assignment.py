"""Who may be given a petition's work: a mediator's load by weight (tier and workers of each open
petition they hold), their leave, and their recusals. Queries only, for `flows` and `queues`;
the operations that record leave and recusals are in `workflows.absences`."""

from django.conf import settings
from django.db.models import Case, Count, Func, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.models import Claim, Petition

from .models import MediatorAbsence, PetitionTask, Recusal


def _workers_of_petition():
    counted = Claim.objects.filter(petition=OuterRef("pk")).order_by().values("petition")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


def petition_weight():
    """The weight of a petition (in a query over petitions): its tier's weight times one more
    for every LOAD_WORKERS_STEP workers."""
    weights = settings.CASEWORK["TIER_WEIGHTS"]
    tier = Case(
        *(When(tier=tier, then=Value(weight)) for tier, weight in weights.items()),
        default=Value(weights[Petition.Tier.ORDINARY]),
        output_field=IntegerField(),
    )
    step = settings.CASEWORK["LOAD_WORKERS_STEP"]
    # Integer division on both databases: both operands are integers.
    return tier * (Value(1) + _workers_of_petition() / Value(step))


def load_of_user():
    """The summed weight of the open petitions the user (`OuterRef("user")`) holds a task of,
    as one correlated subquery: the candidates' loads cost one query however many they are."""
    held = PetitionTask.objects.filter(owner=OuterRef(OuterRef("user")), is_open=True).values(
        "petition"
    )
    # No ordering: the sum is over every row, grouped by nothing.
    petitions = (
        Petition.objects.filter(pk__in=held)
        .order_by()
        .annotate(total=Func(petition_weight(), function="SUM", output_field=IntegerField()))
    )
    return Coalesce(Subquery(petitions.values("total")[:1]), 0)


def absent_on(day=None):
    """The users on leave on `day` (today)."""
    day = day or timezone.localdate()
    return MediatorAbsence.objects.filter(starts_on__lte=day, ends_on__gte=day).values("user")


def recused_from(enterprise_id):
    return Recusal.objects.filter(enterprise=enterprise_id).values("mediator")


def recused_enterprises(user):
    """The enterprises the user has a recorded conflict with, read once per user object."""
    if not hasattr(user, "_recused_enterprises"):
        user._recused_enterprises = frozenset(
            Recusal.objects.filter(mediator=user.pk).values_list("enterprise", flat=True)
        )
    return user._recused_enterprises


def is_recused(user, petition):
    return user.is_authenticated and petition.enterprise_id in recused_enterprises(user)


def not_recused_q(user):
    """Tasks whose petition's enterprise the user has no recorded conflict with (SQL)."""
    conflicts = Recusal.objects.filter(mediator=user.pk).values("enterprise")
    return ~Q(petition__enterprise__in=conflicts)
