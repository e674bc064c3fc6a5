"""Migration 0006 moves each worker's facts onto the claims that named them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casework", "0005_ledger_triggers")]
AFTER = [("casework", "0006_claim_worker_facts")]


@pytest.fixture
def migrate():
    def to(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield to
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_claims_take_their_workers_facts(migrate):
    apps = migrate(BEFORE)
    names = ("OrgUnit", "Enterprise", "Worker", "Petition", "Claim")
    OrgUnit, Enterprise, Worker, Petition, Claim = (apps.get_model("casework", n) for n in names)
    zone = OrgUnit.objects.create(name="Zone", kind="zone", code="JS", path="0001")
    grid = OrgUnit.objects.create(name="Grid", kind="grid", parent=zone, path="00010001")
    enterprise = Enterprise.objects.create(
        name="E", credit_code="91350100M000100Y43", grid_area=grid
    )
    worker = Worker.objects.create(
        name="王五", id_number="11010519491231002X", phone="13911112222", non_local=True,
        employer=enterprise,
    )  # fmt: skip
    petition = Petition.objects.create(
        number="JS-2026-000001", zone=zone, org_unit=grid, enterprise=enterprise, description="x"
    )
    Claim.objects.create(petition=petition, worker=worker, claimed_amount=100)

    apps = migrate(AFTER)

    claim = apps.get_model("casework", "Claim").objects.get()
    assert (claim.name, claim.phone, claim.non_local) == ("王五", "13911112222", True)
    assert claim.worker.id_number == "11010519491231002X"
