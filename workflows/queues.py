"""Which tasks a person sees: the querysets behind My tasks, the zone queue, Done and the board.

Every list is scoped in SQL from the person's role assignments (read once per request), so a
page costs the same few queries whatever the number of rows; nothing is filtered in Python.
"""

from datetime import timedelta
from functools import reduce
from operator import or_

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.status import STATUS

from casework import access
from casework.models import Membership
from casework.roles import SUPERVISOR_ROLES

from . import assignment, deadlines
from .flows import PetitionFlow, Step
from .models import OPEN_TASK_STATUSES, PetitionTask, Recusal

# "Done" lists what the person finished in this many days.
DONE_DAYS = 30
_NOTHING = Q(pk__in=[])


def steps():
    return [node for node in PetitionFlow.instance.nodes() if isinstance(node, Step)]


def _in_subtrees(user, paths):
    """Tasks at a unit under one of `paths` (some of the user's own)."""
    paths = tuple(paths)
    return Q(org_unit__in=[pk for pk, path in access.units_under(user) if path.startswith(paths)])


def _under(user, roles=None):
    """Tasks whose petition lies at or under a unit where the user holds one of `roles`."""
    if user.is_superuser:
        return Q()
    paths = {path for role, path in access.memberships_of(user) if roles is None or role in roles}
    return _in_subtrees(user, paths) if paths else _NOTHING


def visible_q(user):
    """Human tasks of petitions in the user's subtree (any role), as the case pages show them."""
    return Q(flow_task_type="HUMAN") & _under(user)


def _open():
    """Open human tasks (so the lists below need no test of the task type)."""
    return Q(is_open=True)


def mine_q(user):
    return _open() & Q(owner=user.pk) & _under(user)


def claimable_q(user):
    """Unassigned open tasks of steps the user may take: a step's roles held at the petition's
    unit or above (the same rule as `Step.may_take`, written as SQL)."""
    unassigned = Q(in_queue=True)
    if user.is_superuser:
        return unassigned
    paths_by_refs = {}
    for role, path in access.memberships_of(user):
        refs = frozenset(get_task_ref(node) for node in steps() if role in node.roles)
        if refs:
            paths_by_refs.setdefault(refs, set()).add(path)
    scopes = [
        _in_subtrees(user, paths) & Q(flow_task__in=sorted(refs))
        for refs, paths in sorted(paths_by_refs.items(), key=lambda item: sorted(item[1]))
    ]
    if not scopes:
        return _NOTHING
    return unassigned & reduce(or_, scopes) & assignment.not_recused_q(user)


def done_q(user):
    since = timezone.now() - timedelta(days=DONE_DAYS)
    finished = Q(flow_task_type="HUMAN", status=STATUS.DONE, owner=user.pk, finished__gte=since)
    return finished & _under(user)


def supervised_q(user):
    return _open() & _under(user, SUPERVISOR_ROLES)


def may_supervise(user):
    """Whether the user supervises some unit (no query: memberships are cached)."""
    return access.holds_role(user, SUPERVISOR_ROLES)


def tasks():
    """Tasks with what a row shows, joined in the same query."""
    return PetitionTask.objects.select_related(
        "petition__enterprise", "petition__org_unit", "owner"
    )


def _by_deadline():
    return [F("due_at").asc(nulls_last=True), "-petition__priority", "created", "pk"]


def my_tasks(user):
    """Sorted by deadline, then priority (urgent first)."""
    return tasks().filter(mine_q(user)).order_by(*_by_deadline())


def zone_queue(user):
    """The tightest first: the petition's first-result deadline (which follows its tier), then
    priority, then the step's own deadline."""
    return (
        tasks()
        .filter(claimable_q(user))
        .annotate(first_result_due=deadlines.first_result_due())
        .order_by(
            F("first_result_due").asc(nulls_last=True),
            "-petition__priority",
            F("due_at").asc(nulls_last=True),
            "created",
            "pk",
        )
    )


def done_tasks(user):
    return tasks().filter(done_q(user)).order_by("-finished", "-pk")


def board(user):
    """Every open task under the units the user supervises, the longest overdue first."""
    return tasks().filter(supervised_q(user)).order_by(*_by_deadline())


def counts(user, condition=None):
    """The three tabs' counts under the same filter. Three small counts, each on its own index,
    cost less than one aggregate over their union, which the planner can only scan."""
    tasks = PetitionTask.objects.filter(condition if condition is not None else Q())
    return {
        "mine": tasks.filter(mine_q(user)).count(),
        "queue": tasks.filter(claimable_q(user)).count(),
        "done": tasks.filter(done_q(user)).count(),
    }


def may_act(user, task):
    """Whether firing one of the task's transitions would be allowed to complete it: the holder,
    anyone who may take it while it is unassigned, or a supervisor (as `services.complete_task`)."""
    if task.status not in OPEN_TASK_STATUSES:
        return False
    node = task.flow_task
    if task.owner_id is None:
        return node.can_assign(user, task)
    return task.owner_id == user.pk or node.may_manage(user, task)


def candidates(tasks):
    """{task pk: [users]} to whom each task may be moved, in one query (people recused from
    the enterprise left out); the same people as `services.users_who_may_take(task)` gives."""
    tasks = list(tasks)
    if not tasks:
        return {}
    paths = set().union(*(t.petition.org_unit.ancestor_paths for t in tasks))
    roles = set().union(*(t.flow_task.roles for t in tasks))
    # Whether each person is recused from each enterprise of the page, in the same query.
    recused = {
        f"recused_{pk}": Exists(Recusal.objects.filter(mediator=OuterRef("user"), enterprise=pk))
        for pk in sorted({t.petition.enterprise_id for t in tasks})
    }
    memberships = (
        Membership.objects.filter(org_unit__path__in=paths, role__in=roles, user__is_active=True)
        .annotate(**recused)
        .select_related("user", "org_unit")
        .order_by("user__username", "pk")
    )
    memberships = list(memberships)
    result = {}
    for task in tasks:
        ancestors = set(task.petition.org_unit.ancestor_paths)
        users = {
            m.user.pk: m.user
            for m in memberships
            if m.role in task.flow_task.roles
            and m.org_unit.path in ancestors
            and not getattr(m, f"recused_{task.petition.enterprise_id}")
        }
        result[task.pk] = sorted(users.values(), key=lambda u: u.get_username())
    return result
