"""Events -> stored notifications -> websockets.

`publish_on_commit` is the one way out: it stores a `Notification` per recipient in the caller's
transaction, in the recipient's language, and pushes them to the recipients' sockets once that
transaction commits, so a rolled-back change announces nothing. The `announce_*` functions below
are the producers' entry points: each resolves its kind's recipients (`rules`) and its text, and
calls `publish_on_commit`.

If the channel layer fails (Redis down), the change and its notifications are committed all the
same; the failure is logged and every client gets what it missed when it connects again.
"""

import asyncio
import logging
from collections import defaultdict
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.access import holds_role
from casework.models import Membership, OrgUnit, Petition, Role
from casework.roles import SUPERVISOR_ROLES
from workflows import transfers

from . import rules
from .models import Kind, Notification, Preference

logger = logging.getLogger(__name__)

# Other layers than pub/sub (pipelined): group sends in flight at once, enough to hide Redis
# round trips, few enough connections.
SEND_CONCURRENCY = 50


def user_group(user_id):
    """The channel-layer group of one person's open sockets."""
    return f"notifications.user.{user_id}"


def unit_group(unit_id):
    """The group of the sockets of everyone who holds a role at this org unit."""
    return f"notifications.unit.{unit_id}"


def languages_of(users):
    """{user id: language} for the recipients; the site's default for those who never said."""
    chosen = dict(
        Preference.objects.filter(user__in=[u.pk for u in users]).values_list("user", "language")
    )
    return {user.pk: chosen.get(user.pk, settings.LANGUAGE_CODE) for user in users}


def publish_on_commit(kind, *, recipients, text, petition=None, data=None, link=""):
    """Store a notification of `kind` for each recipient and push it to them after commit.

    `text()` returns the short text; it is called once per recipients' language, under that
    language. `data` must be JSON (it is stored at once, so a bad payload fails here). Returns
    the stored notifications.
    """
    recipients = list({user.pk: user for user in recipients}.values())
    if not recipients:
        return []
    languages = languages_of(recipients)
    texts = {}
    for language in set(languages.values()):
        with translation.override(language):
            texts[language] = str(text())
    created = timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            petition=petition,
            text=texts[languages[user.pk]],
            link=link,
            data=data or {},
            created=created,
        )
        for user in recipients
    )
    number = petition.number if petition is not None else None
    send_on_commit(
        (user_group(row.recipient_id), {**row.as_message(number), "type": "notification.message"})
        for row in rows
    )
    return rows


def send_on_commit(messages):
    """Hand (group, message) pairs to the channel layer once the transaction commits."""
    messages = list(messages)
    if messages:
        transaction.on_commit(partial(send_now, messages), robust=True)


def send_now(messages):
    """Send (group, message) pairs. A failure is logged, never raised: what was stored stays
    stored, and clients catch up on their next connect."""
    try:
        async_to_sync(_send_all)(messages)
    except Exception:
        logger.exception(
            "Could not push %d notification messages; clients get them on reconnect",
            len(messages),
        )


async def _send_all(messages):
    layer = get_channel_layer()
    if isinstance(layer, RedisPubSubChannelLayer):
        sending = _publish_pipelined(layer, messages)
    else:
        gate = asyncio.Semaphore(SEND_CONCURRENCY)

        async def send(group, message):
            async with gate:
                await layer.group_send(group, message)

        sending = asyncio.gather(*(send(group, message) for group, message in messages))
    await asyncio.wait_for(sending, settings.NOTIFICATIONS["SEND_TIMEOUT_SECONDS"])


async def _publish_pipelined(layer, messages):
    """What `group_send` does for each message, in one pipelined round trip per Redis shard.

    The pub/sub layer publishes one message per round trip under a per-shard lock, so 1,000
    recipients took ~0.3 s of sequential round trips (bench/fanout.py). It has no bulk send, so
    this uses its group channel names, serializer and shard connections (channels-redis 4.3,
    pinned; tests/notifications/test_two_servers.py proves the subscribers still hear it).
    """
    loop_layer = layer._get_layer()
    by_shard = defaultdict(list)
    for group, message in messages:
        channel = loop_layer._get_group_channel_name(group)
        by_shard[loop_layer._get_shard(channel)].append((channel, layer.serialize(message)))
    for shard, publishes in by_shard.items():
        async with shard._lock:
            shard._ensure_redis()
            async with shard._redis.pipeline(transaction=False) as pipeline:
                for channel, payload in publishes:
                    pipeline.publish(channel, payload)
                await pipeline.execute()


def announce_petition_changed(petition_ids):
    """Tell the open pages of everyone with a role over these petitions that they changed, so
    lists and case pages refresh their rows. Not stored: a page loaded later shows the change."""
    petitions = Petition.objects.filter(pk__in=petition_ids).values_list(
        "pk", "number", "org_unit__path"
    )
    messages = []
    for pk, number, path in petitions:
        message = {"type": "petition.changed", "petition": pk, "number": number}
        messages += [(unit_group(int(unit)), message) for unit in path.split("/")[:-1]]
    send_now(messages)


# The producers: one per kind.


def _yuan(amount):
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


def _petition_link(petition):
    return reverse("casework:petition-detail", args=[petition.pk])


def announce_group_petition(petition):
    """A group petition was filed: its zone's (and above) supervisors and committee liaisons."""
    workers = petition.claims.count()
    enterprise = petition.enterprise.name

    def text():
        return ngettext(
            "Group petition %(number)s: %(workers)d worker of %(enterprise)s.",
            "Group petition %(number)s: %(workers)d workers of %(enterprise)s.",
            workers,
        ) % {"number": petition.number, "workers": workers, "enterprise": enterprise}

    return publish_on_commit(
        Kind.GROUP_PETITION_FILED,
        recipients=rules.group_petition_watchers(petition),
        text=text,
        petition=petition,
        data={
            "workers": workers,
            "enterprise": enterprise,
            "owner_missing": petition.owner_missing,
        },
        link=_petition_link(petition),
    )


def announce_task_assigned(task, *, reassigned=False):
    """The task was given to its owner (by the flow, or moved to them by a supervisor)."""
    petition = task.petition

    def text():
        names = {"step": task.flow_task.task_title, "number": petition.number}
        if reassigned:
            return _("“%(step)s” on %(number)s was passed to you.") % names
        return _("New task for you: “%(step)s” on %(number)s.") % names

    return publish_on_commit(
        Kind.TASK_ASSIGNED,
        recipients=[task.owner],
        text=text,
        petition=petition,
        data={"task": task.pk, "step": task.flow_task.name, "reassigned": reassigned},
        link=reverse("workflows:task", args=[task.pk]),
    )


def announce_transfer(transfer, *, step):
    """A transfer: the receiving unit answers it; the sender hears how it was answered."""
    petition = transfer.petition
    names = {
        "number": petition.number,
        "from": transfer.from_unit.name,
        "to": transfer.to_unit.name,
    }
    actor_id = transfer.requested_by_id if step == "requested" else transfer.answered_by_id
    if step == "requested":
        recipients = transfers.receivers_of(transfer.to_unit)
        kind, link = Kind.TRANSFER_TO_ANSWER, reverse("workflows:transfers")

        def text():
            return (
                _("%(from)s transferred %(number)s to %(to)s: accept it or send it back.") % names
            )

    else:
        recipients = [transfer.requested_by]
        kind, link = Kind.TRANSFER_ANSWERED, _petition_link(petition)
        accepted = step == "accepted"

        def text():
            if accepted:
                return _("%(to)s accepted %(number)s.") % names
            return _("%(to)s sent %(number)s back.") % names

    return publish_on_commit(
        kind,
        recipients=[u for u in recipients if u.pk not in (actor_id, None)],
        text=text,
        petition=petition,
        data={"transfer": transfer.pk, "step": step},
        link=link,
    )


def announce_case_closed(petition, *, actor=None):
    """The case is closed: the mediators who held its mediation, but the one who closed it."""
    return publish_on_commit(
        Kind.CASE_CLOSED,
        recipients=rules.mediators_of(petition, actor=actor),
        text=lambda: _("Case %(number)s is closed.") % {"number": petition.number},
        petition=petition,
        link=_petition_link(petition),
    )


def announce_case_merged(petition, *, actor=None):
    """The case was merged into another: the mediators of both go on with the one left."""
    survivor = petition.merged_into
    return publish_on_commit(
        Kind.CASE_CLOSED,
        recipients=[
            *rules.mediators_of(petition, actor=actor),
            *rules.mediators_of(survivor, actor=actor),
        ],
        text=lambda: (
            _("Case %(number)s was merged into %(survivor)s.")
            % {"number": petition.number, "survivor": survivor.number}
        ),
        petition=survivor,
        link=_petition_link(survivor),
    )


def announce_sent_back_to_mediation(petition, *, actor=None):
    """The worker called back was not satisfied, or the outcome was not carried out: the case's
    mediators take it up again."""
    return publish_on_commit(
        Kind.CALLBACK_RETURNED,
        recipients=rules.mediators_of(petition, actor=actor),
        text=lambda: (
            _("Callback on %(number)s: the worker is not satisfied; mediate again.")
            % {"number": petition.number}
        ),
        petition=petition,
        link=_petition_link(petition),
    )


def announce_release_awaiting_approval(
    petition,
    *,
    release_id,
    amount,
    drafted_by,
    submitted_by=None,
    roles=SUPERVISOR_ROLES,
    link="",
):
    """A fund release waits for a decision: those holding `roles` at the petition's unit or
    above (supervisors; committee liaisons for a signature), never its drafter or submitter."""

    def text():
        return _("A release of %(amount)s yuan for %(number)s awaits your decision.") % {
            "amount": _yuan(amount),
            "number": petition.number,
        }

    return publish_on_commit(
        Kind.RELEASE_AWAITING_APPROVAL,
        recipients=rules.release_approvers(
            petition, drafted_by=drafted_by, submitted_by=submitted_by, roles=roles
        ),
        text=text,
        petition=petition,
        data={"release": release_id, "amount": f"{amount:.2f}"},
        link=link or _petition_link(petition),
    )


def announce_release_to_pay(petition, *, release_id, amount, link=""):
    """A release is approved (and signed where it must be): finance pays it."""

    def text():
        return _("A release of %(amount)s yuan for %(number)s is approved: pay it.") % {
            "amount": _yuan(amount),
            "number": petition.number,
        }

    return publish_on_commit(
        Kind.RELEASE_TO_PAY,
        recipients=rules.paymasters(petition),
        text=text,
        petition=petition,
        data={"release": release_id, "amount": f"{amount:.2f}"},
        link=link or _petition_link(petition),
    )


def announce_escalation(petition, *, reasons, link):
    """A petition went up to the party working committee: its liaisons acknowledge it."""
    return publish_on_commit(
        Kind.ESCALATED,
        recipients=rules.committee_liaisons(petition),
        text=lambda: (
            _("%(number)s is escalated to the committee: acknowledge it.")
            % {"number": petition.number}
        ),
        petition=petition,
        data={"reasons": list(reasons)},
        link=link,
    )


def announce_travel_home(petition, *, workers, total, link):
    """The committee recorded travel-home costs: the petition's mediators draft the release."""

    def text():
        return ngettext(
            "Travel-home costs of %(workers)d worker on %(number)s (%(total)s yuan): draft the "
            "emergency release.",
            "Travel-home costs of %(workers)d workers on %(number)s (%(total)s yuan): draft the "
            "emergency release.",
            workers,
        ) % {"workers": workers, "number": petition.number, "total": _yuan(total)}

    return publish_on_commit(
        Kind.TRAVEL_HOME_RECORDED,
        recipients=rules.mediators_of(petition),
        text=text,
        petition=petition,
        data={"workers": workers, "total": f"{total:.2f}"},
        link=link,
    )


def announce_red_warning(warning, *, link):
    """An early warning turned red: the zone's supervisors and committee liaisons, at once."""
    enterprise = warning.enterprise.name
    return publish_on_commit(
        Kind.RED_WARNING,
        recipients=rules.warning_watchers(warning.enterprise),
        text=lambda: _("Red early warning: %(enterprise)s.") % {"enterprise": enterprise},
        data={"warning": warning.pk, "enterprise": enterprise},
        link=link,
    )


def announce_warning_to_handle(warning, *, owner, link):
    """A warning was opened: its task's holder (or the grid's mediators) visits the employer."""
    names = {"enterprise": warning.enterprise.name}
    return publish_on_commit(
        Kind.WARNING_TO_HANDLE,
        recipients=rules.warning_handlers(warning.enterprise, owner=owner),
        text=lambda: _("New early warning for %(enterprise)s: visit the employer.") % names,
        data={"warning": warning.pk, "enterprise": warning.enterprise.name, "level": warning.level},
        link=link,
    )


def announce_deadline(petition, *, step, due_at, passed, assignee=None, data=None):
    """A deadline is near (`passed=False`) or has passed: the assignee and the supervisors of
    the petition's unit and above. `step` names what is due (a lazy string is translated for
    each recipient)."""

    def text():
        names = {
            "step": step,
            "number": petition.number,
            "due": formats.date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT"),
        }
        if passed:
            return _("“%(step)s” on %(number)s is overdue since %(due)s.") % names
        return _("“%(step)s” on %(number)s is due on %(due)s.") % names

    return publish_on_commit(
        Kind.DEADLINE_PASSED if passed else Kind.DEADLINE_NEAR,
        recipients=rules.deadline_watchers(petition, assignee=assignee),
        text=text,
        petition=petition,
        data={"due_at": due_at.isoformat(), **(data or {})},
        link=_petition_link(petition),
    )


def announce_report_overdue(enterprise, *, month, due_on, alert, link):
    """A month's report was not filed by its due day: the enterprise union is reminded, or,
    with `alert`, the mediators and supervisors of its grid area and zone are told."""

    def text():
        names = {
            "enterprise": enterprise.name,
            "month": formats.date_format(month, "YEAR_MONTH_FORMAT"),
            "due": formats.date_format(due_on, "SHORT_DATE_FORMAT"),
        }
        if alert:
            return (
                _(
                    "%(enterprise)s has not filed its monthly report for %(month)s, due on "
                    "%(due)s, though reminded."
                )
                % names
            )
        return (
            _("The monthly report of %(enterprise)s for %(month)s was due on %(due)s: file it now.")
            % names
        )

    return publish_on_commit(
        Kind.REPORT_MISSING if alert else Kind.REPORT_REMINDER,
        recipients=(
            rules.missing_report_watchers(enterprise)
            if alert
            else rules.enterprise_union(enterprise)
        ),
        text=text,
        data={"enterprise": enterprise.pk, "month": f"{month:%Y-%m}", "due": due_on.isoformat()},
        link=link,
    )


# What a person's sockets and pages ask for.


def state(user):
    """The bell's figures: unread count and the newest id the person has."""
    figures = Notification.objects.filter(recipient=user).aggregate(
        unread=Count("pk", filter=Q(read_at=None)), last_id=Max("pk")
    )
    return {"type": "state", **figures}


def catch_up(user, last_id):
    """The messages a socket that last saw `last_id` missed, oldest first, and whether the
    client must resync instead (ids after `last_id` may have been pruned, or too many)."""
    oldest = Notification.objects.aggregate(oldest=Min("pk"))["oldest"]
    if oldest is not None and last_id < oldest - 1:
        return [], True
    limit = settings.NOTIFICATIONS["REPLAY_LIMIT"]
    rows = list(
        Notification.objects.filter(recipient=user, pk__gt=last_id)
        .select_related("petition")
        .order_by("pk")[: limit + 1]
    )
    if len(rows) > limit:
        return [], True
    return [row.as_message() for row in rows], False


def listener_refusal(user_id):
    """Why this person may no longer hold a socket, read afresh: "inactive" (or gone),
    "no_role" (they hold no role anywhere, so nothing of theirs is to be heard), or None."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return "inactive"
    return None if holds_role(user, Role.values) else "no_role"


def recheck_sockets_on_commit(user_id):
    """Once the transaction commits, have the person's open sockets ask `listener_refusal`
    and follow the units where they now hold roles."""
    send_on_commit([(user_group(user_id), {"type": "access.changed"})])


def unit_ids(user):
    """The org units whose petition changes this person's pages hear of. Not an enterprise
    union's unit: its other enterprises' petitions are none of that union's business."""
    if user.is_superuser:
        return list(OrgUnit.objects.filter(parent=None).values_list("pk", flat=True))
    held = Membership.objects.filter(user=user).exclude(role=Role.ENTERPRISE_UNION)
    return list(held.values_list("org_unit", flat=True).distinct())


def remember_language(user, language):
    """Write the person's notifications in the language they last read a page in."""
    if language not in dict(settings.LANGUAGES):
        return
    if (
        not Preference.objects.filter(user=user)
        .exclude(language=language)
        .update(language=language)
    ):
        Preference.objects.get_or_create(user=user, defaults={"language": language})


@transaction.atomic
def mark_read(user, ids=None):
    """Mark the person's notifications read: those in `ids`, or all. Returns how many remain
    unread; the person's other open pages update their bells."""
    unread = Notification.objects.filter(recipient=user).unread()
    marked = unread if ids is None else unread.filter(pk__in=ids)
    marked_ids = list(marked.values_list("pk", flat=True)) if ids is not None else None
    marked.update(read_at=timezone.now())
    remaining = unread.count()
    message = {"type": "notification.read", "ids": marked_ids, "unread": remaining}
    send_on_commit([(user_group(user.pk), message)])
    return remaining


def prune():
    """Delete notifications older than NOTIFICATIONS["KEEP_DAYS"]; returns how many."""
    deleted, _by_model = Notification.objects.expired().delete()
    return deleted
