"""Labels and small checks the case pages need in templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.forms import ReferralForm
from casework.models import MediationSession, Petition
from workflows.flows import PetitionFlow

register = template.Library()

_EXTRA_STEPS = {
    "receive": _("Petition received"),
    "link_facts": _("New facts linked"),
    "claim": _("Task claimed"),
    "unassign": _("Task released"),
    "reassign": _("Task reassigned"),
    "record_session": _("Mediation session recorded"),
}
_DATA_LABELS = {
    "task": _("Task"),
    "owner": _("Holder"),
    "from": _("From"),
    "to": _("To"),
    "held_at": _("Held at"),
    "place": _("Place"),
    "outcome": _("Outcome"),
    "signed_on": _("Signed on"),
    "due_date": _("Payment due date"),
    "agreed_total": _("Agreed total (yuan)"),
    "rating": _("Satisfaction"),
    "channel": _("Channel"),
    "workers": _("Workers"),
    "workers_added": _("Workers added"),
    "group": _("Group petition"),
    "body": _("Receiving body"),
    "referral_type": _("Referred to"),
    "reference": _("Their reference"),
}
_DATA_VALUES = {
    "channel": dict(Petition.Channel.choices),
    "referral_type": dict(ReferralForm.REFERRAL_TYPES),
    "outcome": dict(MediationSession.Outcome.choices),
    "task": {
        node.name: getattr(node, "task_title", node.name) for node in PetitionFlow.instance.nodes()
    },
}


def _step_labels():
    field = Petition._meta.get_field("status")
    labels = {t.name: t.custom["label"] for t in field.get_all_transitions(Petition)}
    return {**labels, **_EXTRA_STEPS}


@register.filter
def may_intake(user):
    """Whether the user may record petitions somewhere (no query: memberships are cached)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(role in access.INTAKE_ROLES for role, _path in access.memberships_of(user))


@register.filter
def step_label(name):
    return _step_labels().get(name, name)


@register.filter
def event_data(data):
    """An event's data as (label, value) pairs for people to read."""
    items = []
    for key, value in (data or {}).items():
        if value in ("", None):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, str):
            value = _DATA_VALUES.get(key, {}).get(value, value)
        items.append((_DATA_LABELS.get(key, key), value))
    return items


@register.filter
def actor_name(user):
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()
