"""The merge page and what the case pages show of a merge: a supervisor names the other
petition, sees what moves, confirms; the pages link the two; a possible repeat is suggested."""

from html import unescape

from django.urls import reverse

from casework.models import Petition, Role, Status
from casework.services import merge

from ..casework.test_merge import REASON, repeat_pair
from ..factories import (
    EnterpriseFactory,
    agreement_reached,
    record,
    step,
    user_with_role,
    worker_row,
)


def merge_page(petition, other=None):
    url = reverse("casework:petition-merge", args=[petition.pk])
    return f"{url}?with={other.number}" if other else url


def detail(petition):
    return reverse("casework:petition-detail", args=[petition.pk])


def form_data(other, keep="this", reason=REASON, **extra):
    number = other if isinstance(other, str) else other.number
    return {"other": number, "keep": keep, "reason": reason, **extra}


def unchanged(*petitions):
    return all(
        Petition.objects.filter(pk=p.pk, status=p.status, merged_into=None).exists()
        for p in petitions
    )


# Who may open it.


def test_outside_the_zone_the_merge_page_is_404(login, outsider, clerk, enterprise):
    first, _second = repeat_pair(clerk, enterprise)

    assert login(outsider).get(merge_page(first)).status_code == 404


def test_a_mediator_is_refused_with_a_reason(login, mediator, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    response = login(mediator).post(merge_page(first), form_data(second, confirm="1"))

    assert response.status_code == 403
    assert "Only a supervisor of this petition's unit may merge it." in unescape(response.text)
    assert unchanged(first, second)


def test_the_suggestion_link_fills_in_the_other_petition(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    response = login(supervisor).get(merge_page(second, first))

    assert response.status_code == 200
    assert f'value="{first.number}"' in response.content.decode()


# Preview, then confirm.


def test_the_preview_shows_who_moves_and_changes_nothing(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    moving = [c.name for c in first.claims.exclude(worker__in=second.claims.values("worker"))]

    response = login(supervisor).post(merge_page(second), form_data(first))

    body = response.content.decode()
    assert response.status_code == 200
    assert f"{first.number} will be closed and merged into {second.number}." in body
    assert all(name in body for name in moving)
    assert unchanged(first, second)


def test_confirming_merges_and_leads_to_the_survivor(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    response = login(supervisor).post(merge_page(second), form_data(first, confirm="1"))

    assert response.status_code == 302 and response.url == detail(second)
    first.refresh_from_db()
    assert (first.status, first.merged_into) == (Status.CLOSED, second)


def test_keeping_the_other_closes_the_page_petition(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    response = login(supervisor).post(
        merge_page(second), form_data(first, keep="other", confirm="1")
    )

    assert response.url == detail(first)
    second.refresh_from_db()
    assert second.merged_into == first


def test_the_case_pages_link_the_two_and_the_survivor_shows_the_merged_history(
    login, supervisor, clerk, enterprise
):
    first, second = repeat_pair(clerk, enterprise)
    merge.merge_petitions(first, second, actor=supervisor, reason=REASON)
    browser = login(supervisor)

    merged_page = browser.get(detail(first)).content.decode()
    survivor_page = browser.get(detail(second)).content.decode()

    assert f'Merged into <a href="{detail(second)}">{second.number}</a>' in merged_page
    assert f'<a href="{detail(first)}">{first.number}</a>' in survivor_page
    assert "Merged from" in survivor_page
    assert survivor_page.count(f"from merged {first.number}") == first.events.count()


def test_merging_is_not_among_the_next_steps(login, supervisor, clerk, enterprise):
    first, _second = repeat_pair(clerk, enterprise)

    response = login(supervisor).get(detail(first))

    assert "merge" not in [s["spec"].name for s in response.context["steps"]]
    assert 'id="step-merge"' not in response.content.decode()


def test_the_transition_route_does_not_merge(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    url = reverse("casework:petition-transition", args=[first.pk, "merge"])

    response = login(supervisor).post(url, {"reason": REASON, "expected_status": "received"})

    assert response.status_code == 404
    assert unchanged(first, second)


# Bad input: a form error beside the field, nothing changed.


def error_on(response, field):
    return response.status_code == 400 and field in response.context["form"].errors


def test_the_same_petition_twice_is_an_error_on_the_other_field(
    login, supervisor, clerk, enterprise
):
    first, second = repeat_pair(clerk, enterprise)

    response = login(supervisor).post(merge_page(first), form_data(first, confirm="1"))

    assert error_on(response, "other")
    assert "name the other one" in response.content.decode()
    assert unchanged(first, second)


def test_a_finished_petition_is_an_error_on_the_other_field(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)
    step(first, "reject", supervisor)

    response = login(supervisor).post(merge_page(second), form_data(first, confirm="1"))

    assert error_on(response, "other")
    assert "only open petitions are merged" in response.content.decode()


def test_an_unrelated_petition_is_an_error_on_the_other_field(login, supervisor, clerk, enterprise):
    first = record(clerk, enterprise)
    second = record(clerk, EnterpriseFactory(grid_area=enterprise.grid_area))

    response = login(supervisor).post(merge_page(first), form_data(second, confirm="1"))

    assert error_on(response, "other")
    assert "different employers and share no worker" in response.content.decode()
    assert unchanged(first, second)


def test_another_zones_petition_reads_as_unknown(login, supervisor, clerk, enterprise, org):
    first, _second = repeat_pair(clerk, enterprise)
    clerk_b = user_with_role(Role.INTAKE_CLERK, org["zone_b"])
    theirs = record(clerk_b, EnterpriseFactory(grid_area=org["grid_b1"]))

    response = login(supervisor).post(merge_page(first), form_data(theirs, confirm="1"))
    unknown = login(supervisor).post(merge_page(first), form_data("KF-2026-999999", confirm="1"))

    assert error_on(response, "other") and error_on(unknown, "other")
    assert response.context["form"].errors == unknown.context["form"].errors


def test_a_petition_with_an_agreement_is_an_error_on_which_goes_on(
    login, supervisor, mediator, clerk, enterprise
):
    agreed = agreement_reached(clerk, mediator, enterprise, [worker_row(), worker_row()])
    other = record(clerk, enterprise)

    response = login(supervisor).post(merge_page(other), form_data(agreed, confirm="1"))

    assert error_on(response, "keep")
    assert "has a mediation agreement" in response.content.decode()


def test_a_missing_reason_is_an_error_on_the_reason_field(login, supervisor, clerk, enterprise):
    first, second = repeat_pair(clerk, enterprise)

    response = login(supervisor).post(merge_page(second), form_data(first, reason="", confirm="1"))

    assert error_on(response, "reason")
    assert unchanged(first, second)


def test_a_merge_done_meanwhile_answers_409(login, supervisor, clerk, enterprise, monkeypatch):
    first, second = repeat_pair(clerk, enterprise)
    real = merge.merge_petitions

    def someone_else_first(merged, survivor, **kwargs):
        # Another supervisor merges the pair the other way between this page's read and its lock.
        real(
            Petition.objects.get(pk=survivor.pk),
            Petition.objects.get(pk=merged.pk),
            actor=supervisor,
            reason=REASON,
        )
        return real(merged, survivor, **kwargs)

    monkeypatch.setattr(merge, "merge_petitions", someone_else_first)

    response = login(supervisor).post(merge_page(second), form_data(first, confirm="1"))

    assert response.status_code == 409
    assert "was changed by someone else meanwhile" in response.content.decode()
    assert Petition.objects.filter(merged_into__isnull=False).count() == 1


# The repeat suggestion on the case page.


def test_a_supervisor_sees_the_repeat_suggestion_with_a_merge_link(
    login, supervisor, clerk, enterprise
):
    first, second = repeat_pair(clerk, enterprise)

    body = login(supervisor).get(detail(second)).content.decode()

    assert f"Possible repeat of {first.number}" in body
    assert merge_page(second, first) in body


def test_a_mediator_sees_no_repeat_suggestion(login, mediator, clerk, enterprise):
    _first, second = repeat_pair(clerk, enterprise)

    body = login(mediator).get(detail(second)).content.decode()

    assert "Possible repeat" not in body and 'id="merge"' not in body
