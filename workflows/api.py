"""The task API: a person's lists (mine, the queue they may take from, done), and claim, unclaim,
reassign, complete and record a mediation session on one task.

Each view authorizes (the tasks of the petitions the user may see, else 404), loads, calls one
service and serializes. Refusals are exceptions that `casework.api.errors.exception_handler`
answers in the API's one error shape. A task is completed only by firing its petition
transition (`casework.services.fire_transition`); the flow then opens the next task.
"""

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from viewflow.workflow.exceptions import FlowLockFailed

from casework import services as casework
from casework.api import errors
from casework.api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from casework.api.idempotency import idempotent
from casework.api.serializers import ErrorSerializer, MediationSessionSerializer
from casework.api.views import PetitionPagination
from casework.exceptions import Conflict, TransitionRefused
from casework.models import Claim, Petition, Status

from . import api_serializers as s
from . import queues
from . import services as workflow
from .models import OPEN_TASK_STATUSES, PetitionTask

LISTS = {"mine": queues.my_tasks, "queue": queues.zone_queue, "done": queues.done_tasks}


def _errors(*codes, described=None):
    """Error answers for the schema: {code: the error shape}, some with a description."""
    answers = {code: OpenApiResponse(ErrorSerializer) for code in codes}
    for code, text in (described or {}).items():
        answers[code] = OpenApiResponse(ErrorSerializer, description=text)
    return answers


TAKEN = gettext_lazy("conflict: someone else claimed, moved or completed the task first; reload.")
NOT_POSSIBLE = gettext_lazy(
    "invalid: bad input, per field (also a `transition` that does not complete this task); "
    "transition_refused: not possible at this step now."
)
NOT_MEDIATING = gettext_lazy(
    "invalid: bad input, per field; transition_refused: the task is not a mediation."
)


def with_workers_count(tasks):
    """Each row's number of workers on its petition: a subquery, so no GROUP BY over the list."""
    workers = (
        Claim.objects.filter(petition=OuterRef("petition_id"))
        .order_by()
        .values("petition")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return tasks.annotate(workers_count=Coalesce(Subquery(workers, output_field=IntegerField()), 0))


class TaskFilter(filters.FilterSet):
    """Filters on the task's petition."""

    category = filters.ChoiceFilter(
        label=gettext_lazy("Category"),
        field_name="petition__category",
        choices=Petition.Category.choices,
    )
    enterprise = filters.NumberFilter(
        label=gettext_lazy("Enterprise"),
        # The id itself, not the foreign key: an id past the integer range then matches nothing
        # (Django's integer lookups) instead of overflowing SQLite.
        field_name="petition__enterprise__id",
        help_text=gettext_lazy("The enterprise's id."),
    )
    is_group = filters.BooleanFilter(
        label=gettext_lazy("Group petition"), field_name="petition__is_group"
    )
    status = filters.ChoiceFilter(
        label=gettext_lazy("Petition status"), field_name="petition__status", choices=Status.choices
    )

    class Meta:
        model = PetitionTask
        fields = []

    def condition(self):
        """The valid filter as a Q on tasks (for the lists and their counts alike)."""
        if not self.is_valid():
            raise exceptions.ValidationError(self.errors)
        given = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value is not None and value != ""
        }
        return Q(**{self.filters[name].field_name: value for name, value in given.items()})


class TaskPagination(PetitionPagination):
    """A page of tasks, with the size of each list under the same filters (the tabs' counts)."""

    counts = None
    # The list being paged: its size is already among the counts, so the page spares a COUNT.
    view_name = None

    def django_paginator_class(self, object_list, per_page):
        paginator = Paginator(object_list, per_page)
        if self.counts is not None and self.view_name in self.counts:
            paginator.count = self.counts[self.view_name]
        return paginator

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["counts"] = self.counts
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["counts"] = {"$ref": "#/components/schemas/TaskCounts"}
        paginated["required"] = [*paginated.get("required", []), "counts"]
        return paginated


VIEW_PARAMETER = OpenApiParameter(
    "view",
    str,
    enum=list(LISTS),
    default="mine",
    description=format_lazy(
        gettext_lazy(
            "mine: open tasks I hold, due first; queue: unassigned tasks in my units that I may "
            "take; done: tasks I finished in the last {days} days."
        ),
        days=queues.DONE_DAYS,
    ),
)


class TaskViewSet(viewsets.GenericViewSet):
    pagination_class = TaskPagination
    # For the schema's filter parameters; the views apply `TaskFilter.condition()` themselves,
    # so that the lists and their counts read the same filter.
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = TaskFilter
    serializer_class = s.TaskSerializer
    queryset = PetitionTask.objects.none()  # for the schema; the views build their own

    def handle_exception(self, exc):
        if isinstance(exc, FlowLockFailed):
            exc = errors.Conflict(_("Someone else is working on this task; try again."))
        return super().handle_exception(exc)

    def get_task(self):
        """The task, if its petition is visible to the user; else 404, whether it exists or not."""
        visible = queues.tasks().filter(queues.visible_q(self.request.user))
        # viewflow's own id, not the parent link: an id past the integer range is then no task.
        return get_object_or_404(visible, task_ptr__id=self.kwargs["pk"])

    def condition(self):
        return TaskFilter(
            self.request.query_params, queryset=PetitionTask.objects.none()
        ).condition()

    def row(self, *tasks):
        """The tasks as list rows (None stays None)."""
        rows = with_workers_count(queues.tasks()).in_bulk([t.pk for t in tasks if t])
        return [rows[t.pk] if t else None for t in tasks]

    @extend_schema(
        summary=gettext_lazy("My tasks, the queue I may take from, or what I finished"),
        parameters=[VIEW_PARAMETER],
        responses={200: s.TaskSerializer(many=True), **_errors(400, 401)},
    )
    def list(self, request):
        query = s.ViewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        condition = self.condition()
        view = query.validated_data["view"]
        self.paginator.counts = queues.counts(request.user, condition)
        self.paginator.view_name = view
        tasks = LISTS[view](request.user).filter(condition)
        page = self.paginate_queryset(with_workers_count(tasks))
        return self.get_paginated_response(s.TaskSerializer(page, many=True).data)

    @extend_schema(
        summary=gettext_lazy("How many tasks each list holds"),
        filters=True,
        responses={200: s.TaskCountsSerializer, **_errors(400, 401)},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def counts(self, request):
        return Response(queues.counts(request.user, self.condition()))

    @extend_schema(
        summary=gettext_lazy("One task"),
        responses={200: s.TaskSerializer, **_errors(401, 404)},
    )
    def retrieve(self, request, pk=None):
        return Response(s.TaskSerializer(self.row(self.get_task())[0]).data)

    @extend_schema(
        summary=gettext_lazy("Take a task from the queue"),
        request=None,
        responses={200: s.TaskSerializer, **_errors(401, 403, 404, described={409: TAKEN})},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        task = workflow.claim_task(self.get_task(), actor=request.user)
        return Response(s.TaskSerializer(self.row(task)[0]).data)

    @extend_schema(
        summary=gettext_lazy("Put a task back into the queue"),
        description=gettext_lazy("By the person who holds it, or a supervisor of its unit."),
        request=s.UnclaimSerializer,
        responses={200: s.TaskSerializer, **_errors(401, 403, 404, described={409: TAKEN})},
    )
    @action(detail=True, methods=["post"])
    def unclaim(self, request, pk=None):
        task = self.get_task()
        body = s.UnclaimSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.unassign_task(task, actor=request.user, reason=body.validated_data["reason"])
        return Response(s.TaskSerializer(self.row(task)[0]).data)

    @extend_schema(
        summary=gettext_lazy("Move a task to another person (supervisors)"),
        request=s.ReassignSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 401, 403, 404, described={409: TAKEN})},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        task = self.get_task()
        body = s.ReassignSerializer(data=request.data, context={"task": task})
        body.is_valid(raise_exception=True)
        workflow.reassign_task(task, actor=request.user, **body.validated_data)
        return Response(s.TaskSerializer(self.row(task)[0]).data)

    @extend_schema(
        summary=gettext_lazy("Complete a task by taking one of its petition steps"),
        description=gettext_lazy(
            "Fires the petition transition named in `transition` with that step's form fields. "
            "An unassigned task is claimed on the way; a task held by someone else may be "
            "completed only by a supervisor of its unit."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=s.CompleteSerializer,
        responses={
            200: s.CompletedSerializer,
            **_errors(401, 403, 404, 422, described={400: NOT_POSSIBLE, 409: TAKEN}),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def complete(self, request, pk=None):
        task = self.get_task()
        body = s.CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        name = body.validated_data["transition"]
        if name not in task.flow_task.transitions:
            raise exceptions.ValidationError(
                {
                    "transition": _("This task is completed by one of: %(names)s.")
                    % {"names": ", ".join(task.flow_task.transitions)}
                }
            )
        self._check_open(task)
        casework.fire_transition(
            task.petition,
            name,
            actor=request.user,
            reason=body.validated_data["reason"],
            data=body.form_data(),
            expected_status=body.validated_data.get("expected_status"),
        )
        done, following = self.row(task, workflow.open_task(task.petition))
        return Response(s.CompletedSerializer({"task": done, "next_task": following}).data)

    @extend_schema(
        summary=gettext_lazy("Record a mediation session"),
        description=gettext_lazy("On an open mediation task, by its holder or a supervisor."),
        parameters=[IDEMPOTENCY_KEY],
        request=s.SessionRequestSerializer,
        responses={
            201: MediationSessionSerializer,
            **_errors(401, 403, 404, 422, described={400: NOT_MEDIATING, 409: TAKEN}),
        },
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def sessions(self, request, pk=None):
        task = self.get_task()
        self._check_open(task)
        if task.flow_task.name != "mediate":
            raise TransitionRefused(
                _("Sessions are recorded on a mediation task, not on “%(title)s”.")
                % {"title": task.flow_task.task_title}
            )
        self._check_may_work(task)
        body = s.SessionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        session = casework.record_session(
            task.petition, actor=request.user, data=body.validated_data
        )
        return Response(MediationSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _check_open(task):
        if task.status not in OPEN_TASK_STATUSES:
            raise Conflict(_("This task has already been completed."))

    def _check_may_work(self, task):
        """Its holder, a supervisor of its unit, or (unassigned) anyone who may take it."""
        if queues.may_act(self.request.user, task):
            return
        if task.owner_id is None:
            raise exceptions.PermissionDenied(_("You may not take this task."))
        raise exceptions.PermissionDenied(
            _("This task is held by %(owner)s.") % {"owner": task.owner.get_username()}
        )


app_name = "tasks-api"

router = SimpleRouter()
router.register("tasks", TaskViewSet, basename="task")

urlpatterns = [*router.urls]
