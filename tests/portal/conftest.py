import pytest

from tests.factories import EnterpriseFactory, record, worker_row


@pytest.fixture
def enterprise(org):
    return EnterpriseFactory(name="Hongda Garments", grid_area=org["grid_a1"])


@pytest.fixture
def petition(clerk, enterprise):
    rows = [
        worker_row(name="Li Ming", phone="13900000001", claimed_amount="8000.00"),
        worker_row(name="Wang Fang", phone="13900000002", claimed_amount="6000.00"),
    ]
    return record(clerk, enterprise, workers=rows)


def look_up(client, number, key):
    return client.post("/portal/lookup/", {"number": number, "key": key})


@pytest.fixture
def client(client):
    """A worker's phone, set to English so the tests read the source messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
