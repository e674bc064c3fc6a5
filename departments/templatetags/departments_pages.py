"""The departments on the case page: a card in its side column (casework's petition_detail.html)
with the petition's referrals, their replies and arbitration clocks, and its joint-handling parts
(who is doing what); the steps only to the petition's mediators. And the menu's link."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import services
from ..forms import AwardForm, ExtensionForm, ReferenceForm, WithdrawForm
from ..models import JointPart

register = template.Library()


def _referral_row(referral, leads):
    award_due = services.award_due(referral)
    open_clock = referral.arbitration_accepted and referral.award_on is None
    return {
        "referral": referral,
        "award_due": award_due,
        "limitation": services.limitation_end(referral)
        if referral.department.is_arbitration and not referral.arbitration_accepted
        else None,
        "reference_form": ReferenceForm(auto_id=f"id_ref{referral.pk}_%s")
        if leads and not referral.reference
        else None,
        "extension_form": ExtensionForm(auto_id=f"id_ext{referral.pk}_%s")
        if leads and open_clock and referral.extended_at is None
        else None,
        "award_form": AwardForm(auto_id=f"id_award{referral.pk}_%s")
        if leads and open_clock
        else None,
    }


@register.inclusion_tag("departments/_card.html", takes_context=True)
def departments_card(context, petition):
    user = context["user"]
    leads = services.may_lead(user, petition)
    referrals = petition.referrals.select_related("department", "sent_by").order_by("sent_at")
    parts = petition.joint_parts.select_related("unit", "department", "holder").order_by("pk")
    return {
        "petition": petition,
        "leads": leads,
        "may_start": leads and petition.is_open,
        "referrals": [_referral_row(referral, leads) for referral in referrals],
        "parts": [
            {
                "part": part,
                "withdraw_form": WithdrawForm(auto_id=f"id_wd{part.pk}_%s")
                if leads and part.state == JointPart.State.OPEN
                else None,
            }
            for part in parts
        ],
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def departments_nav(user, nav):
    """The menu's link of a liaison, who has no other: the department's inbox."""
    if services.liaison_of(user) is None:
        return ""
    url, label = reverse("departments:inbox"), _("Department inbox")
    if nav == "departments-inbox":
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.simple_tag
def departments_link(user):
    """The zone's departments, for its supervisors (linked from their board)."""
    if not services.managed_zones(user).exists():
        return ""
    return format_html('<a href="{}">{}</a>', reverse("departments:list"), _("Departments"))


@register.inclusion_tag("departments/_clock.html")
def clock(value):
    """A statutory period's last day, marked provisional or undated like the deadlines."""
    return {"clock": value}
