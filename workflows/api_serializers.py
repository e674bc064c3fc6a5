"""Serializers of the task API. As in `casework.api.serializers`, input ones only declare types:
the services and the transitions' forms validate."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from casework.api.serializers import TransitionRequestSerializer
from casework.models import MediationSession, Petition

from . import services as workflow

VIEWS = ("mine", "queue", "done")

# Output


class TaskPetitionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    enterprise = serializers.CharField(source="enterprise.name", read_only=True)
    workers_count = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Workers on the petition.")
    )

    class Meta:
        model = Petition
        fields = [
            "id",
            "number",
            "status",
            "status_label",
            "category",
            "enterprise",
            "is_group",
            "priority",
            "workers_count",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.Serializer):
    """One row of a task list. Needs the queryset from `api.with_workers_count`."""

    id = serializers.IntegerField()
    name = serializers.CharField(
        source="flow_task.name", help_text=gettext_lazy("The step, e.g. triage, mediate.")
    )
    title = serializers.CharField(source="flow_task.task_title")
    status = serializers.CharField(help_text=gettext_lazy("NEW, ASSIGNED, STARTED or DONE."))
    transitions = serializers.ListField(
        source="flow_task.transitions",
        child=serializers.CharField(),
        help_text=gettext_lazy("The petition steps that complete this task."),
    )
    petition = TaskPetitionSerializer(read_only=True)
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    created = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    due_provisional_year = serializers.IntegerField(
        allow_null=True,
        help_text=gettext_lazy(
            "The first year counted to due_at whose official holiday arrangement is not "
            "published yet (null: none): the due date is provisional and may move."
        ),
    )
    finished = serializers.DateTimeField(allow_null=True)

    def to_representation(self, task):
        # The count is annotated on the task, not on the petition the row is joined to.
        task.petition.workers_count = task.workers_count
        return super().to_representation(task)


class TaskCountsSerializer(serializers.Serializer):
    mine = serializers.IntegerField()
    queue = serializers.IntegerField()
    done = serializers.IntegerField()


class CompletedSerializer(serializers.Serializer):
    task = TaskSerializer(help_text=gettext_lazy("The task just completed."))
    next_task = TaskSerializer(
        allow_null=True, help_text=gettext_lazy("The petition's next task; null once it ends.")
    )


# Input


class ViewQuerySerializer(serializers.Serializer):
    view = serializers.ChoiceField(choices=VIEWS, default="mine")


class UnclaimSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(serializers.Serializer):
    """Needs the task in context["task"]: the person is looked up among those who may take it."""

    to_user = serializers.CharField(help_text=gettext_lazy("The person's id or username."))
    reason = serializers.CharField(allow_blank=True)

    def validate_to_user(self, value):
        users = workflow.users_who_may_take(self.context["task"])
        found = users.filter(pk=int(value)) if value.isdigit() else users.none()
        user = found.first() or users.filter(username=value).first()
        if user is None:
            raise serializers.ValidationError(workflow.NOT_A_TAKER)
        return user


class CompleteSerializer(TransitionRequestSerializer):
    """`transition` names the step that completes the task; the other fields are that step's
    form, as for the petition's transitions."""

    CONTROL_FIELDS = ("transition", *TransitionRequestSerializer.CONTROL_FIELDS)

    transition = serializers.CharField(help_text=gettext_lazy("One of the task's `transitions`."))


class SessionRequestSerializer(serializers.Serializer):
    held_at = serializers.DateTimeField()
    place = serializers.CharField()
    parties_present = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(
        choices=MediationSession.Outcome.choices, default=MediationSession.Outcome.CONTINUED
    )
