"""A report not filed by its due day: a reminder to the enterprise union the morning after, then
on the next working day an alert to the grid's mediators and the zone's supervisors, each once.

October's reports are due on Tuesday 2026-11-10: the reminder goes out on Wednesday 11 November
at 09:00, the alert on Thursday 12 November at 09:00. On PostgreSQL, two timer loops (threads) and
two `run_timers` processes sweep at once, and each notice still goes out once.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from arrears import services, timers
from arrears.models import MonthlyReport, ReportDueRule, ReportNotice
from casework.models import Role
from notifications.models import Kind, Notification
from workflows import timers as timer_loop
from workflows.timers import TimerLoop

from ..clock import fresh_calendar, local  # noqa: F401 - a calendar read afresh for each test
from ..concurrency import run_together
from ..factories import EnterpriseFactory, UserFactory, user_with_role
from .conftest import OCTOBER

ROOT = Path(__file__).resolve().parents[2]
REMINDER_AT = local(2026, 11, 11, 9, 0)
ALERT_AT = local(2026, 11, 12, 9, 0)
ONE_MINUTE = datetime.timedelta(minutes=1)
ONE_MONTH = datetime.timedelta(days=31)


@pytest.fixture(autouse=True)
def last_month_only(settings):
    """The timers chase last month's reports only: each test's enterprises owe October's, not
    those of the months before, which they never filed here."""
    settings.CASEWORK = {**settings.CASEWORK, "ARREARS_NOTICE_MONTHS": 1}


@pytest.fixture
def at(clock):
    """at(moment) -> the timers sweep at that moment; the number of notices sent."""
    traveller = None

    def sweep(moment):
        nonlocal traveller
        if traveller is None:
            traveller = clock(moment)
        else:
            traveller.move_to(moment)
        return timers.sweep()

    return sweep


def told(kind):
    """The usernames told of `kind`, in order."""
    rows = Notification.objects.filter(kind=kind).order_by("recipient__username")
    return [n.recipient.username for n in rows]


def sent(enterprise, month=OCTOBER):
    return sorted(
        ReportNotice.objects.filter(enterprise=enterprise, month=month).values_list(
            "kind", flat=True
        )
    )


# The reminder.


def test_no_reminder_before_the_morning_after_the_due_day(at, union, enterprise):
    assert at(REMINDER_AT - ONE_MINUTE) == 0

    assert sent(enterprise) == []
    assert told(Kind.REPORT_REMINDER) == []


def test_the_union_is_reminded_the_morning_after_the_due_day(at, union, enterprise):
    assert at(REMINDER_AT) == 1

    assert sent(enterprise) == ["reminder"]
    [notification] = Notification.objects.filter(kind=Kind.REPORT_REMINDER)
    assert notification.recipient == union
    assert notification.link == reverse("arrears:enterprise", args=[enterprise.pk])
    assert notification.data == {
        "enterprise": enterprise.pk,
        "month": "2026-10",
        "due": "2026-11-10",
    }


def test_the_reminder_is_written_in_chinese_naming_the_enterprise_and_month(at, union, enterprise):
    at(REMINDER_AT)

    [notification] = Notification.objects.filter(kind=Kind.REPORT_REMINDER)
    assert (
        notification.text
        == "Lanxi Textile 2026年10月的欠薪月报应于2026年11月10日前报送，请尽快报送。"
    )


def test_every_user_of_the_union_and_no_one_else_is_reminded(
    today, at, org, union, enterprise, neighbour, mediator, supervisor
):
    second = user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], enterprise, username="union2")
    services.file_zero_report(neighbour, OCTOBER, actor=mediator)

    at(REMINDER_AT)

    assert told(Kind.REPORT_REMINDER) == [union.username, second.username]


def test_a_report_filed_by_its_due_day_gets_no_reminder(clock, at, union, enterprise):
    clock(local(2026, 11, 10, 17, 0))
    services.file_zero_report(enterprise, OCTOBER, actor=union)

    assert at(ALERT_AT) == 0
    assert sent(enterprise) == []


def test_an_enterprise_without_a_union_is_never_reminded(at, org, union):
    uncovered = EnterpriseFactory(name="Gongshu Bakery", grid_area=org["grid_a1"])

    at(REMINDER_AT)
    at(ALERT_AT)

    assert sent(uncovered) == []


def test_a_zones_own_due_day_moves_the_reminder(at, org, union, enterprise):
    ReportDueRule.objects.create(zone=org["zone_a"], due_day=20)

    assert at(REMINDER_AT) == 0
    assert at(local(2026, 11, 21, 9, 0)) == 1


# The alert.


def test_the_alert_follows_on_the_next_working_day(at, union, enterprise, mediator, supervisor):
    at(REMINDER_AT)
    assert at(ALERT_AT - ONE_MINUTE) == 0

    assert at(ALERT_AT) == 1
    assert sent(enterprise) == ["alert", "reminder"]


def test_the_alert_skips_a_holiday_and_the_weekend(at, org, union, enterprise, mediator):
    # May's reports due on Wednesday 17 June 2026: reminded on Thursday 18 June; Friday 19 June
    # is the Dragon Boat Festival, then the weekend: the alert waits for Monday 22 June.
    ReportDueRule.objects.create(zone=org["zone_a"], due_day=17)
    may = datetime.date(2026, 5, 1)

    assert at(local(2026, 6, 18, 9, 0)) == 1
    for day in (19, 20, 21):
        assert at(local(2026, 6, day, 18, 0)) == 0
    assert at(local(2026, 6, 22, 9, 0)) == 1

    assert sent(enterprise, may) == ["alert", "reminder"]
    assert ReportNotice.objects.get(kind="alert").sent_at == local(2026, 6, 22, 9, 0)


def test_a_late_reminder_gives_the_union_its_working_day(at, union, enterprise, mediator):
    # The timers were stopped until Thursday evening: the union is reminded then, the grid and
    # zone alerted on Friday.
    assert at(local(2026, 11, 12, 18, 0)) == 1
    assert at(local(2026, 11, 13, 8, 59)) == 0
    assert at(local(2026, 11, 13, 9, 0)) == 1


def test_the_alert_goes_to_the_grids_mediators_and_the_zones_supervisors(
    at, org, union, enterprise, mediator, colleague, supervisor, liaison, outsider
):
    user_with_role(Role.MEDIATOR, org["grid_a2"], username="mediator_a2")
    user_with_role(Role.MEDIATOR, org["grid_b1"], username="mediator_b1")
    user_with_role(Role.SUPERVISOR, org["federation"], username="federation")

    at(REMINDER_AT)
    at(ALERT_AT)

    assert told(Kind.REPORT_MISSING) == ["colleague", "mediator", "supervisor"]
    [notification, *_] = Notification.objects.filter(kind=Kind.REPORT_MISSING)
    assert notification.link == reverse("arrears:missing") + "?month=2026-10"
    assert "Lanxi Textile" in notification.text and "2026年10月" in notification.text


def test_a_report_filed_after_the_reminder_stops_the_alert(
    at, union, enterprise, mediator, supervisor
):
    at(REMINDER_AT)
    services.file_zero_report(enterprise, OCTOBER, actor=union)

    assert at(ALERT_AT) == 0
    assert sent(enterprise) == ["reminder"]
    assert told(Kind.REPORT_MISSING) == []


# Once each.


def test_each_is_sent_once_however_often_the_timers_sweep(
    at, union, enterprise, mediator, supervisor
):
    assert [at(REMINDER_AT), at(REMINDER_AT), at(ALERT_AT), at(ALERT_AT)] == [1, 0, 1, 0]
    assert at(local(2026, 11, 30, 9, 0)) == 0

    assert sent(enterprise) == ["alert", "reminder"]
    assert told(Kind.REPORT_REMINDER) == ["union"]
    assert told(Kind.REPORT_MISSING) == ["mediator", "supervisor"]


def test_the_timers_stop_chasing_a_report_after_the_months_set(at, union, enterprise):
    assert at(local(2026, 12, 20, 9, 0)) == 1  # November's report, due on 10 December

    assert sent(enterprise) == []
    assert sent(enterprise, datetime.date(2026, 11, 1)) == ["reminder"]


def _shops(org, count):
    """`count` enterprises of grid A1, each with its union user."""
    shops = []
    for i in range(count):
        shop = EnterpriseFactory(name=f"Shop {i:02d}", grid_area=org["grid_a1"])
        user_with_role(Role.ENTERPRISE_UNION, org["grid_a1"], shop, username=f"union{i:02d}")
        shops.append(shop)
    return shops


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_timer_loops_at_once_send_each_notice_once(clock, org, mediator, supervisor):
    # Twelve enterprises with unions, none filed October's report; six were reminded yesterday.
    enterprises = _shops(org, 12)
    for shop in enterprises[:6]:
        ReportNotice.objects.create(
            enterprise=shop, month=OCTOBER, kind="reminder", sent_at=REMINDER_AT
        )
    clock(ALERT_AT)

    def loop(barrier):
        barrier.wait()
        return TimerLoop(interval=1).drain()

    results = run_together(loop, loop)

    assert all(isinstance(r, int) for r in results) and sum(results) == 12, results
    assert ReportNotice.objects.filter(kind="alert").count() == 6
    assert ReportNotice.objects.filter(kind="reminder").count() == 12
    reminded = Notification.objects.filter(kind=Kind.REPORT_REMINDER)
    alerted = Notification.objects.filter(kind=Kind.REPORT_MISSING)
    assert sorted(n.recipient.username for n in reminded) == [f"union{i:02d}" for i in range(6, 12)]
    assert sorted(n.data["enterprise"] for n in alerted) == sorted(
        [shop.pk for shop in enterprises[:6]] * 2
    )
    assert {n.recipient.username for n in alerted} == {"mediator", "supervisor"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_run_timers_commands_at_once_send_each_notice_once(org, mediator, supervisor):
    # On the real clock: the zone's reports are due on the 1st of the following month, and the
    # timers look two months back. Nobody filed the report of two months ago; half the unions
    # were reminded of it a month ago. Last month's are all filed.
    ReportDueRule.objects.create(zone=org["zone_a"], due_day=1)
    this_month = services.first_of_month(timezone.localdate())
    month, last_month = services.add_months(this_month, -2), services.add_months(this_month, -1)
    shops = _shops(org, 12)
    for shop in shops:
        MonthlyReport.objects.create(enterprise=shop, month=last_month, filed_by=mediator)
    for shop in shops[:6]:
        ReportNotice.objects.create(
            enterprise=shop, month=month, kind="reminder", sent_at=timezone.now() - ONE_MONTH
        )
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CASEWORK_TIMERS_IN_PROCESS": "0",
        "CASEWORK_ARREARS_NOTICE_MONTHS": "2",
    }
    command = [sys.executable, "manage.py", "run_timers", "--interval", "0.2"]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        deadline = time.monotonic() + 60
        while ReportNotice.objects.count() < 18 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # both go on sweeping: nothing more is sent
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30)[0] for process in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    assert ReportNotice.objects.filter(kind="reminder").count() == 12
    assert ReportNotice.objects.filter(kind="alert").count() == 6
    assert Notification.objects.filter(kind=Kind.REPORT_REMINDER).count() == 6
    assert Notification.objects.filter(kind=Kind.REPORT_MISSING).count() == 6 * 2


# In the timer loop.


def test_the_timer_loop_sends_them(clock, union, enterprise):
    clock(REMINDER_AT)

    assert TimerLoop(interval=1).drain() == 1
    assert sent(enterprise) == ["reminder"]


def test_a_failing_source_does_not_stop_the_loop(clock, monkeypatch, union, enterprise):
    def broken():
        raise RuntimeError("a bug in another app's timers")

    monkeypatch.setattr(timer_loop, "_sources", {"broken": broken, **timer_loop._sources})
    clock(REMINDER_AT)

    assert TimerLoop(interval=1).drain() == 1
    assert sent(enterprise) == ["reminder"]


def test_a_notice_that_fails_leaves_the_others_to_go_out(
    at, monkeypatch, union, enterprise, neighbour
):
    real = timers.send_notice

    def send(target, *args, **kwargs):
        if target == enterprise:
            raise RuntimeError("lost connection")
        return real(target, *args, **kwargs)

    monkeypatch.setattr(timers, "send_notice", send)

    assert at(REMINDER_AT) == 1
    assert sent(neighbour) == ["reminder"] and sent(enterprise) == []


# Where they show.


def _missing_section(client):
    page = client.get(reverse("arrears:missing"), {"month": "2026-10"}).content.decode()
    return page.split('id="missing"')[1].split("</section>")[0]


def test_the_missing_list_shows_when_each_was_reminded_and_alerted(
    at, login, union, enterprise, neighbour, mediator
):
    at(REMINDER_AT)
    services.file_zero_report(neighbour, OCTOBER, actor=mediator)  # neighbour: reminded, filed
    at(ALERT_AT)

    section = _missing_section(login(mediator))

    assert "reminded on 2026-11-11 09:00 · alerted on 2026-11-12 09:00" in section
    assert "Xixi Dyeworks" not in section


def test_the_missing_list_says_who_was_not_reminded_yet(clock, login, union, mediator):
    clock(REMINDER_AT - ONE_MINUTE)

    assert "not reminded yet" in _missing_section(login(mediator))


def test_the_union_sees_on_its_page_when_it_was_reminded(at, login, union, enterprise):
    at(REMINDER_AT)

    page = login(union).get(reverse("arrears:enterprise", args=[enterprise.pk]))
    row = page.content.decode().split('id="month-2026-10"')[1].split("</tr>")[0]

    assert "Missing: was due on 2026-11-10" in row
    assert "reminded on 2026-11-11 09:00" in row


def test_admin_lists_the_notices(at, client, union, enterprise):
    at(REMINDER_AT)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:arrears_reportnotice_changelist"))

    assert response.status_code == 200
    assert "Lanxi Textile" in response.content.decode()
