from tests.factories import worker_row


def json_row(**overrides):
    """A valid worker row as a client sends it (the amount as text)."""
    row = worker_row(**overrides)
    row["claimed_amount"] = str(row["claimed_amount"])
    return row


def petition_url(petition, suffix=""):
    return f"/api/petitions/{petition.pk}/{suffix}"


def transition_url(petition, name):
    return petition_url(petition, f"transitions/{name}/")


def error_of(response):
    """The error body; fails the test if the answer is not in the one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]
