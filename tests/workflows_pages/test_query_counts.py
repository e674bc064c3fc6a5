"""The queue pages cost the same number of SQL queries for 3 tasks as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Role
from tests.factories import EnterpriseFactory, record, step, user_with_role
from workflows import services as workflow

from .conftest import task_of

# The most any of these pages may cost: session, user, roles, their units, three counts, rows,
# filter choices.
CEILING = 9


def add(n, clerk, enterprises, then=None):
    for i in range(n):
        petition = record(clerk, enterprises[i % len(enterprises)], workers=2)
        if then:
            then(petition)


def assert_constant(browser, url, grow, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as three:
        assert browser.get(url).status_code == 200
    grow()

    with django_assert_max_num_queries(len(three.captured_queries)):
        response = browser.get(url)

    assert len(response.context["page"].object_list) == 25
    assert len(three.captured_queries) <= CEILING
    return response


@pytest.fixture
def enterprises(org):
    return [EnterpriseFactory(grid_area=org["grid_a1"]) for _ in range(3)]


def test_my_tasks(login, mediator, clerk, enterprises, django_assert_max_num_queries):
    def claim(petition):
        workflow.claim_task(task_of(petition), actor=mediator)

    add(3, clerk, enterprises, claim)
    assert_constant(
        login(mediator),
        reverse("workflows:my-tasks"),
        lambda: add(27, clerk, enterprises, claim),
        django_assert_max_num_queries,
    )


def test_zone_queue(login, mediator, clerk, enterprises, django_assert_max_num_queries):
    add(3, clerk, enterprises)
    assert_constant(
        login(mediator),
        reverse("workflows:queue"),
        lambda: add(27, clerk, enterprises),
        django_assert_max_num_queries,
    )


def test_done(login, mediator, clerk, enterprises, django_assert_max_num_queries):
    def accept(petition):
        step(petition, "accept", mediator)

    add(3, clerk, enterprises, accept)
    assert_constant(
        login(mediator),
        reverse("workflows:done"),
        lambda: add(27, clerk, enterprises, accept),
        django_assert_max_num_queries,
    )


def test_board(login, supervisor, mediator, clerk, org, enterprises, django_assert_max_num_queries):
    user_with_role(Role.MEDIATOR, org["grid_a2"])
    elsewhere = EnterpriseFactory(grid_area=org["grid_a2"])
    mix = [*enterprises, elsewhere]

    def vary(petition):
        if petition.pk % 2:
            step(petition, "accept", supervisor)  # mediation goes to a grid mediator

    add(3, clerk, mix, vary)
    response = assert_constant(
        login(supervisor),
        reverse("workflows:board"),
        lambda: add(27, clerk, mix, vary),
        django_assert_max_num_queries,
    )
    assert all(task.candidates for task in response.context["page"].object_list)
