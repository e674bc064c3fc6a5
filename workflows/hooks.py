"""The workflow layer's answers to casework's questions about a petition's tasks (see
`casework.hooks`), registered from `WorkflowsConfig.ready()`."""

from django.db.models import Prefetch

from casework.hooks import TaskLayer

from . import queues, services
from .models import OPEN_TASK_STATUSES, PetitionTask


class PetitionTasks(TaskLayer):
    def open_task(self, petition):
        return services.open_task(petition)

    def open_tasks_prefetch(self):
        open_tasks = PetitionTask.objects.filter(
            flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES
        ).select_related("owner")
        return Prefetch("tasks", queryset=open_tasks, to_attr="open_tasks")

    def steps_open_to(self, user, petition, task, specs):
        """A step that finishes the open task only if firing it would be allowed to complete
        that task, so nothing offered is then refused."""
        if task is None or queues.may_act(user, task):
            return specs
        return [spec for spec in specs if spec.name not in task.flow_task.transitions]
