"""The app split (fund 0001, escalation 0001): a database built before it keeps every row, and
what names an app besides a table follows the models: content types (a release process's
artifact, permissions) and viewflow's stored flow references."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("casework", "0008_membership_enterprise_union"),
    ("workflows", "0007_deadline_provisional_year"),
]
AFTER = [("fund", "0001_initial"), ("escalation", "0002_seed_escalation_rules")]


@pytest.fixture
def migrate():
    def to(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _column(sql, pk):
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()[0]


def _release_in_flow(apps):
    """A release with its process and a task, as the code before the split stored them."""
    get = apps.get_model
    zone = get("casework", "OrgUnit").objects.create(
        name="Zone", kind="zone", code="JS", path="0001"
    )
    grid = get("casework", "OrgUnit").objects.create(
        name="Grid", kind="grid", parent=zone, path="00010001"
    )
    enterprise = get("casework", "Enterprise").objects.create(
        name="E", credit_code="91350100M000100Y43", grid_area=grid
    )
    petition = get("casework", "Petition").objects.create(
        number="JS-2026-000001", zone=zone, org_unit=grid, enterprise=enterprise, description="x"
    )
    user = get("auth", "User").objects.create(username="mediator")
    fund = get("casework", "EmergencyFund").objects.create(zone=zone, name="Fund")
    release = get("casework", "Release").objects.create(
        fund=fund, petition=petition, reason="Wages owed", created_by=user
    )
    content_type, _ = get("contenttypes", "ContentType").objects.get_or_create(
        app_label="casework", model="release"
    )
    process = get("workflows", "ReleaseProcess").objects.create(
        flow_class="workflows/flows.ReleaseFlow",
        release=release,
        artifact_content_type=content_type,
        artifact_object_id=release.pk,
    )
    task = get("workflows", "ReleaseTask").objects.create(
        process=process, release=release, flow_task="workflows/flows.ReleaseFlow.approve"
    )
    return release, process, task


@pytest.mark.django_db(transaction=True)
def test_a_release_keeps_its_row_and_its_flow(migrate):
    release, process, task = _release_in_flow(migrate(BEFORE))

    apps = migrate(AFTER)

    moved = apps.get_model("fund", "Release").objects.get(pk=release.pk)
    assert (moved.petition_id, moved.reason) == (release.petition_id, "Wages owed")
    assert (
        apps.get_model("fund", "ReleaseProcess").objects.get(pk=process.pk).release_id == moved.pk
    )
    flow = "SELECT flow_class FROM viewflow_process WHERE id = %s"
    assert _column(flow, process.pk) == "fund/flows.ReleaseFlow"
    step = "SELECT flow_task FROM viewflow_task WHERE id = %s"
    assert _column(step, task.pk) == "fund/flows.ReleaseFlow.approve"


@pytest.mark.django_db(transaction=True)
def test_the_artifact_of_a_release_process_is_the_fund_release(migrate):
    _release, process, _task = _release_in_flow(migrate(BEFORE))

    apps = migrate(AFTER)

    artifact = (
        apps.get_model("viewflow", "Process").objects.get(pk=process.pk).artifact_content_type
    )
    assert (artifact.app_label, artifact.model) == ("fund", "release")


@pytest.mark.django_db(transaction=True)
def test_the_escalation_rules_an_admin_left_are_kept(migrate):
    apps = migrate(BEFORE)
    rules = apps.get_model("workflows", "EscalationRule").objects
    rules.exclude(kind="group").delete()
    rules.update(active=False)

    apps = migrate(AFTER)

    kept = apps.get_model("escalation", "EscalationRule").objects.values_list("kind", "active")
    assert list(kept) == [("group", False)]


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone(migrate):
    migrate(AFTER)
    release, process, _task = _release_in_flow(migrate(BEFORE))

    migrate(AFTER)
    apps = migrate(BEFORE)

    flow = "SELECT flow_class FROM viewflow_process WHERE id = %s"
    assert _column(flow, process.pk) == "workflows/flows.ReleaseFlow"
    assert apps.get_model("casework", "Release").objects.filter(pk=release.pk).exists()
