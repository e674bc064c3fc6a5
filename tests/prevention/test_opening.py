"""A filed report with arrears or risk signals opens a warning for its enterprise, assigned to
the grid area's mediator; a zero report does not; a later report raises the open warning
instead of opening a second one."""

import datetime
from decimal import Decimal

import pytest

from arrears import services as arrears
from prevention import services
from prevention.models import EarlyWarning, WarningEntry

pytestmark = pytest.mark.django_db
SEPTEMBER = datetime.date(2026, 9, 1)


def test_a_report_with_arrears_opens_a_warning(report, enterprise):
    filed = report(wages="unpaid", workers_affected=4, amount_owed=Decimal("12000"))

    warning = EarlyWarning.objects.get(enterprise=enterprise)
    assert (warning.level, warning.status, warning.report) == ("blue", "open", filed)


def test_a_zero_report_opens_no_warning(union, enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        arrears.file_zero_report(enterprise, datetime.date(2026, 10, 1), actor=union)

    assert not EarlyWarning.objects.exists()


def test_the_warning_task_goes_to_the_grid_mediator(report, mediator, supervisor):
    report(production_stopped=True)

    task = services.open_task(EarlyWarning.objects.get())
    assert task.owner == mediator


def test_without_a_grid_mediator_the_task_waits_in_the_queue(report, supervisor):
    report(production_stopped=True)

    task = services.open_task(EarlyWarning.objects.get())
    assert (task.owner, task.status) == (None, "NEW")


def test_a_later_report_raises_the_open_warning_instead_of_opening_another(report, enterprise):
    report(month=SEPTEMBER, production_stopped=True)
    report(wages="unpaid", workers_affected=40, amount_owed=Decimal("90000"))

    warning = EarlyWarning.objects.get(enterprise=enterprise)
    kinds = list(warning.entries.values_list("kind", "level"))
    assert (warning.level, kinds) == ("red", [("opened", "blue"), ("raised", "red")])


def test_a_lower_report_leaves_the_level_as_it_is(report, enterprise):
    report(month=SEPTEMBER, owner_unreachable=True)
    report(production_stopped=True)

    assert EarlyWarning.objects.get(enterprise=enterprise).level == "red"


def test_the_same_report_announced_twice_counts_once(report):
    filed = report(production_stopped=True)

    services.warn_for(filed)

    assert WarningEntry.objects.filter(report=filed).count() == 1
