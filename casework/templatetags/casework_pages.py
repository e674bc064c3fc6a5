"""Labels and small checks the case pages need in templates."""

from django import template
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.forms import ReferralForm
from casework.models import MediationSession, Petition
from casework.roles import INTAKE_ROLES
from lib.money import format_yuan
from workflows import timeline
from workflows.flows import PetitionFlow

register = template.Library()

_EXTRA_STEPS = {
    "receive": _("Petition received"),
    "link_facts": _("New facts linked"),
    "claim": _("Task claimed"),
    "unassign": _("Task released"),
    "reassign": _("Task reassigned"),
    "record_session": _("Mediation session recorded"),
    # The emergency fund (services.fund).
    "fund_draft": _("Fund release drafted"),
    "fund_revise": _("Fund release revised"),
    "fund_submit": _("Fund release submitted for approval"),
    "fund_approve": _("Fund release approved"),
    "fund_reject": _("Fund release rejected"),
    "fund_sign": _("Fund release signed by the committee"),
    "fund_disburse": _("Fund release paid out"),
    "fund_recover": _("Recovery booked"),
    "fund_propose_write_off": _("Write-off proposed"),
    "fund_sign_write_off": _("Write-off signed"),
    "fund_write_off": _("Written off"),
    "fund_propose_correction": _("Correction of a fund entry proposed"),
    "fund_correct": _("Fund entry corrected"),
    "fund_close": _("Fund release settled"),
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
    "release": _("Release"),
    "total": _("Total (yuan)"),
    "lines": _("Lines"),
    "needs_signature": _("Needs the committee's signature"),
    "paid": _("Paid (yuan)"),
    "lines_paid": _("Lines paid"),
    "lines_unpaid": _("Lines not paid"),
    "amount": _("Amount (yuan)"),
    "outstanding": _("Outstanding (yuan)"),
    "entry": _("Entry"),
}
_DATA_VALUES = {
    "channel": dict(Petition.Channel.choices),
    "referral_type": dict(ReferralForm.REFERRAL_TYPES),
    "outcome": dict(MediationSession.Outcome.choices),
    "task": {
        node.name: getattr(node, "task_title", node.name) for node in PetitionFlow.instance.nodes()
    },
}


_DATA_LABELS.update(timeline.DATA_LABELS)
for _key, _values in timeline.DATA_VALUES.items():
    _DATA_VALUES.setdefault(_key, {}).update(_values)


def _step_labels():
    field = Petition._meta.get_field("status")
    labels = {t.name: t.custom["label"] for t in field.get_all_transitions(Petition)}
    return {**labels, **_EXTRA_STEPS, **timeline.STEPS}


@register.filter
def may_intake(user):
    """Whether the user may record petitions somewhere."""
    return access.holds_role(user, INTAKE_ROLES)


@register.filter
def phone(claim, whole):
    """The claim's worker's phone, whole or masked as `access.claim_phone` decides."""
    return access.claim_phone(claim, whole=whole)


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
        elif isinstance(value, list):
            value = "、".join(str(_DATA_VALUES.get(key, {}).get(v, v)) for v in value)
        items.append((_DATA_LABELS.get(key, key), value))
    return items


@register.filter
def yuan(amount):
    """¥1,234.56: every amount of money on every page."""
    return format_yuan(amount)


@register.filter
def actor_name(user):
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()
