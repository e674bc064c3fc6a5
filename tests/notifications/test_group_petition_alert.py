"""A group petition alerts the supervisors and committee liaisons of its zone and above."""

import pytest
from django.db import transaction

from casework.models import Role
from casework.services import link_facts
from notifications.models import Kind, Notification

from ..factories import record, user_with_role
from .conftest import reads_english, workers


def told(kind=Kind.GROUP_PETITION_FILED):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_supervisors_and_liaisons_of_the_zone_and_above_are_alerted(
    clerk, supervisor, liaison, chair, outsider, mediator, enterprise, committed
):
    committed(record, clerk, enterprise, workers=workers(12))

    assert told() == {"supervisor", "liaison", "chair"}


def test_a_grid_areas_own_supervisor_is_alerted_but_not_a_sibling_areas(
    org, clerk, enterprise, committed
):
    user_with_role(Role.SUPERVISOR, org["grid_a1"], username="grid-chief")
    user_with_role(Role.SUPERVISOR, org["grid_a2"], username="next-grid-chief")

    committed(record, clerk, enterprise, workers=workers(10))

    assert told() == {"grid-chief"}


def test_a_petition_of_fewer_workers_than_a_group_alerts_nobody(
    clerk, supervisor, enterprise, committed
):
    committed(record, clerk, enterprise, workers=workers(9))

    assert not Notification.objects.exists()


def test_the_alert_gives_the_workers_the_enterprise_and_a_link(
    clerk, supervisor, enterprise, committed
):
    reads_english(supervisor)

    petition = committed(record, clerk, enterprise, workers=workers(150), owner_missing=True)

    alert = Notification.objects.get(recipient=supervisor)
    assert alert.petition == petition
    assert alert.text == f"Group petition {petition.number}: 150 workers of Lanxi Textile."
    assert alert.data == {"workers": 150, "enterprise": "Lanxi Textile", "owner_missing": True}
    assert alert.link == f"/petitions/{petition.pk}/"
    assert alert.read_at is None


def test_each_recipient_reads_the_alert_in_their_own_language(
    clerk, supervisor, liaison, enterprise, committed
):
    reads_english(liaison)

    petition = committed(record, clerk, enterprise, workers=workers(12))

    alerts = Notification.objects.filter(kind=Kind.GROUP_PETITION_FILED)
    in_chinese = alerts.get(recipient=supervisor).text  # nobody said: zh-hans
    in_english = alerts.get(recipient=liaison).text
    assert in_english.startswith(f"Group petition {petition.number}: 12 workers")
    assert petition.number in in_chinese and "群体" in in_chinese and "Group" not in in_chinese


class Refused(Exception):
    pass


def test_a_rolled_back_intake_stores_and_announces_nothing(
    clerk, supervisor, enterprise, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(Refused), transaction.atomic():
            record(clerk, enterprise, workers=workers(12))
            raise Refused

    assert not Notification.objects.exists()
    assert callbacks == []


def test_a_petition_that_becomes_a_group_when_workers_are_linked_alerts_then(
    clerk, supervisor, liaison, enterprise, committed
):
    petition = committed(record, clerk, enterprise, workers=workers(6))
    assert not Notification.objects.exists()

    committed(link_facts, petition, actor=clerk, description="Four more came.", workers=workers(4))

    assert told() == {"supervisor", "liaison"}
    assert Notification.objects.get(recipient=supervisor).petition == petition


def test_workers_linked_to_a_group_petition_do_not_alert_again(
    clerk, supervisor, enterprise, committed
):
    petition = committed(record, clerk, enterprise, workers=workers(6))
    committed(link_facts, petition, actor=clerk, description="Four more.", workers=workers(4))

    committed(link_facts, petition, actor=clerk, description="Two more.", workers=workers(2))
    committed(link_facts, petition, actor=clerk, description="Nothing new.")

    assert Notification.objects.filter(kind=Kind.GROUP_PETITION_FILED).count() == 1


def test_linking_workers_short_of_a_group_alerts_nobody(clerk, supervisor, enterprise, committed):
    petition = committed(record, clerk, enterprise, workers=workers(6))

    committed(link_facts, petition, actor=clerk, description="Three more.", workers=workers(3))

    assert not Notification.objects.filter(kind=Kind.GROUP_PETITION_FILED).exists()
