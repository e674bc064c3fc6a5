import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/auth/token/": {"post"},
    "/api/petitions/": {"get", "post"},
    "/api/petitions/{id}/": {"get"},
    "/api/petitions/{id}/link/": {"post"},
    "/api/petitions/{id}/transitions/{name}/": {"post"},
}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_documents_every_endpoint(schema):
    documented = {path: set(ops) & {"get", "post"} for path, ops in schema["paths"].items()}

    assert {path: documented.get(path) for path in ENDPOINTS} == ENDPOINTS


def test_schema_documents_the_idempotency_key(schema):
    parameters = schema["paths"]["/api/petitions/"]["post"]["parameters"]

    assert "Idempotency-Key" in {p["name"] for p in parameters if p["in"] == "header"}


def test_schema_documents_the_error_shape(schema):
    responses = schema["paths"]["/api/petitions/{id}/transitions/{name}/"]["post"]["responses"]

    assert {"200", "400", "403", "404", "409"} <= set(responses)
    assert responses["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_schema_is_served(api):
    response = api().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/petitions/" in response.json()["paths"]


def test_interactive_docs_are_served(api):
    assert api().get("/api/docs/").status_code == 200


def test_interactive_docs_need_no_cdn(api):
    page = api().get("/api/docs/").content.decode()

    assert "cdn.jsdelivr.net" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page


def test_schema_states_the_list_pages_limits(schema):
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/petitions/"]["get"]["parameters"]
    }

    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_schema_states_the_worker_rows_limits(schema):
    row = schema["components"]["schemas"]["WorkerRow"]["properties"]

    assert (row["name"]["minLength"], row["name"]["maxLength"]) == (1, 50)
    assert row["id_number"]["maxLength"] == 18
    assert row["phone"]["maxLength"] == 20
    # At most 12 digits, 2 of them decimals.
    assert row["claimed_amount"]["pattern"] == r"^-?\d{0,10}(?:\.\d{0,2})?$"
