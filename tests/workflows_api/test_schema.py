import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/tasks/": {"get"},
    "/api/tasks/counts/": {"get"},
    "/api/tasks/{id}/": {"get"},
    "/api/tasks/{id}/claim/": {"post"},
    "/api/tasks/{id}/unclaim/": {"post"},
    "/api/tasks/{id}/reassign/": {"post"},
    "/api/tasks/{id}/complete/": {"post"},
    "/api/tasks/{id}/sessions/": {"post"},
}
ERROR = {"$ref": "#/components/schemas/Error"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_documents_every_task_endpoint(schema):
    documented = {path: set(ops) & {"get", "post"} for path, ops in schema["paths"].items()}

    assert {path: documented.get(path) for path in ENDPOINTS} == ENDPOINTS


def test_list_documents_its_views_filters_and_counts(schema):
    operation = schema["paths"]["/api/tasks/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert {"view", "category", "enterprise", "is_group", "status", "page"} <= set(parameters)
    assert set(parameters["view"]["schema"]["enum"]) == {"mine", "queue", "done"}
    page = schema["components"]["schemas"]["PaginatedTaskList"]
    assert page["properties"]["counts"] == {"$ref": "#/components/schemas/TaskCounts"}


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/api/tasks/{id}/claim/", {"200", "403", "404", "409"}),
        ("/api/tasks/{id}/unclaim/", {"200", "403", "404", "409"}),
        ("/api/tasks/{id}/reassign/", {"200", "400", "403", "404", "409"}),
        ("/api/tasks/{id}/complete/", {"200", "400", "403", "404", "409"}),
        ("/api/tasks/{id}/sessions/", {"201", "400", "403", "404", "409"}),
    ],
)
def test_actions_document_their_errors(schema, path, codes):
    responses = schema["paths"][path]["post"]["responses"]

    assert codes <= set(responses)
    assert responses["409"]["content"]["application/json"]["schema"] == ERROR


def test_complete_documents_the_step_fields(schema):
    body = schema["paths"]["/api/tasks/{id}/complete/"]["post"]["requestBody"]
    fields = schema["components"]["schemas"]["Complete"]["properties"]

    assert body["required"] is True
    assert {"transition", "reason", "signed_on", "due_date", "outcome_notice", "rating"} <= set(
        fields
    )
