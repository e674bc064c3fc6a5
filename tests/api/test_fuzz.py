"""Schemathesis against the served OpenAPI schema: no operation answers a 500, whatever the
input, for the clerk, the supervisor and finance. Derandomized, so a run is repeatable; the long
run (10,000 cases) is `FUZZ_EXAMPLES=400 pytest tests/api/test_fuzz.py`."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from ..factories import record

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(params=["clerk", "supervisor", "finance"])
def persona(request, clerk, supervisor, finance, enterprise):
    # Something to find: a petition, so that ids 1.. are real rows for some cases.
    record(clerk, enterprise, workers=2)
    user = {"clerk": clerk, "supervisor": supervisor, "finance": finance}[request.param]
    return {"Authorization": f"Token {Token.objects.create(user=user).key}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_input_makes_a_server_error(case, persona):
    case.call_and_validate(headers=persona, checks=[not_a_server_error])
