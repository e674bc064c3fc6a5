"""GET /api/figures/: the page's figures as JSON, with the page's permissions and scope."""

import pytest

URL = "/api/figures/"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def test_the_figures_of_the_zone_and_its_grid_areas(zone, org, supervisor, api):
    response = api(supervisor).get(URL, {"unit": org["zone_a"].pk, **MARCH})
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["name"], body["start"], body["end"]) == (
        org["zone_a"].pk,
        "Zone A",
        "2026-03-01",
        "2026-03-31",
    )
    assert body["total"]["batches"] == 2
    assert body["total"]["advanced"] == "4500.00"
    assert body["total"]["median_days_to_close"] == "13.0"
    assert body["total"]["average_rating"] == "3.00"
    assert [(s["unit"], s["name"]) for s in body["sub_units"]] == [
        (org["grid_a1"].pk, "Grid A1"),
        (org["grid_a2"].pk, "Grid A2"),
    ]
    assert body["sub_units"][1]["figures"]["agreed"] == "10000.00"
    assert body["sentence"].endswith("4 workers were helped.")


def test_the_api_and_the_page_agree(zone, org, supervisor, api, login):
    body = api(supervisor).get(URL, {"unit": org["zone_a"].pk, **MARCH}).json()
    rows = login(supervisor).get("/figures/", {"unit": org["zone_a"].pk, **MARCH}).context["rows"]
    for key, _label, _kind, values in rows:
        shown = [body["total"][key], *(s["figures"][key] for s in body["sub_units"])]
        assert shown == [v if v is None or isinstance(v, int) else str(v) for v in values], key


def test_without_a_unit_the_users_first_unit(org, supervisor, api):
    response = api(supervisor).get(URL, MARCH)
    assert response.json()["unit"] == org["zone_a"].pk


def test_a_unit_of_another_zone_is_not_found(org, outsider, api):
    response = api(outsider).get(URL, {"unit": org["zone_a"].pk, **MARCH})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["mediator", "clerk", "finance"])
def test_case_workers_are_refused(org, api, request, persona):
    response = api(request.getfixturevalue(persona)).get(URL, MARCH)
    assert response.status_code == 403


def test_anonymous_is_refused(api):
    assert api().get(URL, MARCH).status_code in (401, 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-04-01", "end": "2026-03-01"}, "end"),
        ({"start": "someday", "end": "2026-03-01"}, "start"),
        ({"end": "2026-03-01"}, "start"),
        ({"start": "2026-03-01", "end": "9999-12-31"}, "end"),
        ({"unit": "zone", **MARCH}, "unit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(org, supervisor, api, query, field):
    response = api(supervisor).get(URL, query)
    assert response.status_code == 400
    assert field in str(response.json())


def test_the_schema_describes_the_endpoint(org, supervisor, api):
    response = api(supervisor).get("/api/schema/", {"format": "json"})
    assert "/api/figures/" in response.json()["paths"]
