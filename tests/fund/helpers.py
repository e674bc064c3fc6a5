"""Releases in each state, reached through the services as real ones are."""

from fund import services as services
from fund.models import ReleaseLine


def workers_of(petition):
    return [c.worker for c in petition.claims.select_related("worker").order_by("id")]


def line(worker, purpose="wages", amount="2000.00"):
    return {"worker": worker.pk, "purpose": purpose, "amount": amount}


def default_lines(petition):
    """¥2,000 wages for the first two workers and ¥500 travel home for the non-local one:
    ¥4,500, below the committee's threshold."""
    first, second, _third = workers_of(petition)
    return [line(first), line(second), line(second, "travel_home", "500.00")]


def draft(petition, mediator, lines=None):
    return services.draft_release(
        petition,
        actor=mediator,
        reason="Owner missing; rent due.",
        lines=default_lines(petition) if lines is None else lines,
    )


def submitted(petition, mediator, lines=None):
    return services.submit_release(draft(petition, mediator, lines), actor=mediator)


def approved(petition, mediator, supervisor, lines=None):
    return services.approve_release(
        submitted(petition, mediator, lines), actor=supervisor, note="Urgent."
    )


def pay_all(release, finance):
    payments = {ln.pk: {"reference": f"BANK-{ln.pk}"} for ln in release.lines.all()}
    return services.disburse_release(release, actor=finance, payments=payments)


def disbursed(petition, mediator, supervisor, finance, lines=None):
    return pay_all(approved(petition, mediator, supervisor, lines), finance)


def paid_lines(release):
    return list(release.lines.filter(state=ReleaseLine.State.PAID))


def corrected(entry, proposer, confirmer, reason="Booked in error."):
    """An entry reversed: proposed by one person, confirmed by a second."""
    proposal = services.propose_correction(entry, actor=proposer, reason=reason)
    return services.confirm_correction(proposal, actor=confirmer).booking
