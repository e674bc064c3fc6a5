"""Personas: a zone A with two grid areas, a zone B outside it, and a user per role.

`staff` in zone A acts everywhere in A; `outsider` holds the same roles in zone B only.
`login(user)` is the pages' test client and `api(user)` the API's, each logged in as `user`.
"""

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from casework.models import OrgUnit, Role
from documents import seal
from escalation.models import EscalationRule
from escalation.rules import seed_escalation_rules
from workflows.models import DeadlineRule
from workflows.rules import seed_deadline_rules

from .factories import EnterpriseFactory, OrgUnitFactory, record, user_with_role


def pytest_configure(config):
    """No deadline-timer thread inside a test process (config/asgi.py starts one when this is
    on): the tests fire timers themselves, at the moments they choose."""
    from django.conf import settings

    settings.CASEWORK["TIMERS_IN_PROCESS"] = False


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (row locks, triggers, a database other processes open) are skipped,
    in one place, when the suite runs on another database."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; this run is on {engine.rsplit('.', 1)[-1]}")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite's test database is a file, not shared memory: a live server's request threads then
    each have their own connection and take the write lock in turn, as under `make run`."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.fixture(autouse=True)
def seeded_rules(request):
    """A transactional test's flush also empties the rule tables a migration seeds: put them back,
    so that every test starts from what a new database holds."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        seed_deadline_rules(DeadlineRule)
        seed_escalation_rules(EscalationRule)


@pytest.fixture(autouse=True)
def english_messages():
    """Tests read the English source messages; tests/i18n checks the Chinese default."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Search limits and failed sign-ins are counted in the cache: each test starts from zero."""
    cache.clear()


@pytest.fixture
def search_rate(monkeypatch):
    """search_rate("2/min") -> each user may search twice a minute for the rest of the test."""
    from django.conf import settings

    return lambda rate: monkeypatch.setitem(settings.CASEWORK, "SEARCH_RATE", rate)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def private_files(tmp_path_factory):
    """Evidence and documents go to a folder of the test run's own, never to var/private (set
    for the session: worlds built once per module keep their files too)."""
    from django.conf import settings

    settings.PRIVATE_FILES_ROOT = tmp_path_factory.mktemp("private")
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def org(db):
    federation = OrgUnitFactory(name="Federation", kind=OrgUnit.Kind.FEDERATION)
    zone_a = OrgUnitFactory(name="Zone A", kind=OrgUnit.Kind.ZONE, code="JS", parent=federation)
    zone_b = OrgUnitFactory(name="Zone B", kind=OrgUnit.Kind.ZONE, code="KF", parent=federation)
    return {
        "federation": federation,
        "zone_a": zone_a,
        "grid_a1": OrgUnitFactory(name="Grid A1", parent=zone_a),
        "grid_a2": OrgUnitFactory(name="Grid A2", parent=zone_a),
        "zone_b": zone_b,
        "grid_b1": OrgUnitFactory(name="Grid B1", parent=zone_b),
    }


@pytest.fixture
def clerk(org):
    return user_with_role(Role.INTAKE_CLERK, org["zone_a"], username="clerk")


@pytest.fixture
def mediator(org):
    return user_with_role(Role.MEDIATOR, org["grid_a1"], username="mediator")


@pytest.fixture
def supervisor(org):
    return user_with_role(Role.SUPERVISOR, org["zone_a"], username="supervisor")


@pytest.fixture
def liaison(org):
    return user_with_role(Role.COMMITTEE_LIAISON, org["zone_a"], username="liaison")


@pytest.fixture
def finance(org):
    return user_with_role(Role.FINANCE_OFFICER, org["zone_a"], username="finance")


@pytest.fixture
def auditor(org):
    return user_with_role(Role.AUDITOR, org["zone_a"], username="auditor")


@pytest.fixture
def colleague(org):
    """A second mediator of grid A1."""
    return user_with_role(Role.MEDIATOR, org["grid_a1"], username="colleague")


@pytest.fixture
def outsider(org):
    """A supervisor, but of zone B."""
    return user_with_role(Role.SUPERVISOR, org["zone_b"], username="outsider")


@pytest.fixture
def enterprise(org):
    return EnterpriseFactory(name="Lanxi Textile", grid_area=org["grid_a1"])


@pytest.fixture
def petition(clerk, enterprise):
    return record(clerk, enterprise, workers=3)


@pytest.fixture
def petition_a2(clerk, org):
    """A petition of grid A2, which the mediator of grid A1 does not serve."""
    return record(clerk, EnterpriseFactory(name="Qiantang Machinery", grid_area=org["grid_a2"]))


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as `user`, asking for English pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def api():
    """api(user) -> an APIClient authenticated as that user; api() -> an anonymous one."""

    def client_for(user=None):
        # English, so tests can read the messages whatever the translations say.
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


# The federation's seal: a certificate of the tests' own, made once, for every test that issues
# a document (a step that issues one renders it when the timer loop runs). Set for the session,
# like the private files: worlds built once per module (the demo) seal their documents too.
SEAL_PASSPHRASE = "test-seal"


@pytest.fixture(autouse=True, scope="session")
def seal_file(tmp_path_factory):
    from django.conf import settings

    path = tmp_path_factory.mktemp("seal") / "seal.p12"
    seal.make_certificate(path, SEAL_PASSPHRASE, common_name="Federation test seal")
    settings.CASEWORK["SEAL_CERTIFICATE"] = str(path)
    settings.CASEWORK["SEAL_PASSPHRASE"] = SEAL_PASSPHRASE
    return path
