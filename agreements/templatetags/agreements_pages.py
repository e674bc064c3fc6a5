"""The agreement's signing and judicial confirmation on the case page: a card in its side column
(casework's petition_detail.html), shown to whoever sees the petition; the steps only to its
mediators."""

from django import template

from casework.models import Status

from .. import services
from ..forms import CancelForm, OpenSigningForm
from ..models import SigningSession

register = template.Library()


@register.inclusion_tag("agreements/_card.html", takes_context=True)
def signing_card(context, petition):
    runs = services.may_run(context["user"], petition)
    session = services.latest_session(petition)
    signed = session is not None and session.state == SigningSession.State.SIGNED
    may_open = (
        runs
        and petition.status == Status.AGREEMENT_REACHED
        and (session is None or session.state == SigningSession.State.CANCELLED)
    )
    return {
        "petition": petition,
        "session": session,
        "signers": session.signers.select_related("signature") if session else [],
        "runs": runs,
        "may_open": may_open,
        "open_form": OpenSigningForm(auto_id="id_signing_%s") if may_open else None,
        "cancel_form": CancelForm(auto_id="id_cancel_%s")
        if runs and session and session.is_open
        else None,
        "window": services.window(session) if signed else None,
        "confirmation": services.confirmation_of(session) if signed else None,
        "csrf_token": context.get("csrf_token"),
    }
