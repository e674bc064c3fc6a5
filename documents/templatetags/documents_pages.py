"""The case documents on the case page: the Documents card."""

from django import template

from casework.roles import INTAKE_ROLES, has_role_at

from .. import services
from ..forms import ConsentForm, PaperDeliveryForm

register = template.Library()


@register.inclusion_tag("documents/_documents_card.html", takes_context=True)
def documents_card(context, petition):
    user = context["request"].user
    may_record = has_role_at(user, petition.org_unit, INTAKE_ROLES)
    rows = services.petition_documents(petition)
    return {
        "petition": petition,
        "rows": rows,
        "may_record": may_record,
        "consent_form": ConsentForm(petition=petition, auto_id="id_consent_%s")
        if may_record
        else None,
        "paper_form": PaperDeliveryForm(petition=petition, auto_id="id_paper_%s")
        if may_record and any(d.state == "ready" and served for d, served in rows)
        else None,
    }
