from tests.api.helpers import error_of  # noqa: F401 - the one error shape, checked the same way
from workflows import services as workflow

URL = "/api/tasks/"


def task_url(task, action=""):
    return f"{URL}{task.pk}/{action + '/' if action else ''}"


def open_task(petition):
    return workflow.open_task(petition)


def rows(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def numbers(response):
    """The petition numbers of a task list, in its order."""
    return [row["petition"]["number"] for row in rows(response)]
