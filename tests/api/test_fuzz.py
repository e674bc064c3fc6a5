"""Schemathesis against the served OpenAPI schema: no operation answers a 500, whatever the
input, for the intake clerk, the supervisor and finance. Derandomized, so every run sends the same
cases. The long run (130 cases per operation and persona, 10,140 in all):

    FUZZ_EXAMPLES=130 pytest tests/api/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from ..factories import record

# Cases per operation and persona: 70 x 3 personas = 210 per operation in the suite.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "70"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_tests_connection():
    """As Django's test client does: a request's end must not close the connection that holds
    the test's transaction (PostgreSQL would lose it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["clerk", "supervisor", "finance"])
def persona(request, clerk, supervisor, finance, enterprise):
    """The Authorization header of one persona; a petition exists, so low ids find a row."""
    record(clerk, enterprise, workers=2)
    user = {"clerk": clerk, "supervisor": supervisor, "finance": finance}[request.param]
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    # The fixtures' rows are shared by a test's cases on purpose; slow or filtered generation
    # of some bodies is expected.
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_input_makes_a_server_error(case, persona):
    case.call_and_validate(headers=persona, checks=[not_a_server_error])
