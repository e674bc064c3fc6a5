"""The election on the case page: a card in its side column (casework's petition_detail.html),
shown to whoever sees the petition; the steps only to those who run the election."""

from django import template

from .. import services
from ..forms import ReissueForm, ResolveTieForm

register = template.Library()


@register.inclusion_tag("elections/_card.html", takes_context=True)
def election_card(context, petition):
    user = context["user"]
    election = petition.elections.first()
    runs = services.may_run(user, petition)
    result = services.count(election) if election and not election.is_open else None
    turnout = services.turnout(election) if election and election.is_open else None
    return {
        "petition": petition,
        "election": election,
        "result": result,
        "turnout": turnout,
        "runs": runs,
        "may_open": runs
        and petition.is_group
        and petition.is_open
        and (election is None or not election.is_open),
        "reissue_form": ReissueForm(election=election, auto_id="id_reissue_%s")
        if runs and election and election.is_open
        else None,
        "resolve_form": ResolveTieForm(result=result, auto_id="id_tie_%s")
        if runs and election and election.tie_open
        else None,
        "csrf_token": context.get("csrf_token"),
    }
