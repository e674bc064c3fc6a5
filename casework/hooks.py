"""Where the task layer plugs into casework's case page and petition API.

casework imports no app above it (docs/architecture.md), yet its case page shows the petition's
open task and offers only the steps that task lets the user take. The workflow layer registers
its `TaskLayer` from `WorkflowsConfig.ready()`; until one is registered a petition has no open
task, and every step the petition's transitions allow is offered.
"""


class TaskLayer:
    """What casework asks about a petition's tasks; this base answers "no tasks"."""

    def open_task(self, petition):
        """The petition's open human task, or None."""
        return None

    def open_tasks_prefetch(self):
        """A `Prefetch` that puts the petition's open human tasks in `open_tasks`, or None."""
        return None

    def steps_open_to(self, user, petition, task, specs):
        """Of the transitions `specs` the user may fire, those the open `task` lets them take."""
        return specs


_layer = TaskLayer()


def register_task_layer(layer):
    global _layer
    _layer = layer


def tasks():
    """The registered task layer."""
    return _layer


# What must be finished before a petition may close, registered by the apps above (joint handling
# parts, the callback): each check takes the petition and returns the reason it may not close yet,
# or None. The close transition asks all of them.
_close_checks = []


def register_close_check(check):
    if check not in _close_checks:
        _close_checks.append(check)


def reasons_not_to_close(petition):
    """Why the petition may not close yet (empty when it may)."""
    return [reason for check in _close_checks if (reason := check(petition))]


# What stops a petition from being merged into another, registered by the apps above (money
# already released on it): each check takes the petition that would be closed by the merge and
# returns the reason it may not be, or None (`casework.services.merge`).
_merge_checks = []


def register_merge_check(check):
    if check not in _merge_checks:
        _merge_checks.append(check)


def reasons_not_to_merge(petition):
    """Why the petition may not be merged into another (empty when it may)."""
    return [reason for check in _merge_checks if (reason := check(petition))]
