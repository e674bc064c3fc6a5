"""The steps that issue documents: a petition's transitions (acceptance, refusal, agreement,
failed mediation, closure) and a fund release's payment (the approval form). Each receiver
writes the pending documents in the step's transaction; they are rendered after its commit."""

from django.dispatch import receiver

from casework.signals import petition_transitioned
from fund.signals import release_stepped

from . import services


@receiver(petition_transitioned, dispatch_uid="documents-issue-on-step")
def issue_on_step(sender, petition, actor, transition, **kwargs):
    if transition not in services.ON_STEP:
        return
    kind, per_worker = services.ON_STEP[transition]
    event = petition.events.filter(transition=transition).latest("pk")
    services.issue_for_step(petition, event, kind=kind, per_worker=per_worker)


@receiver(release_stepped, dispatch_uid="documents-issue-on-release-step")
def issue_on_release_step(sender, release, actor, step, **kwargs):
    if step not in services.ON_RELEASE_STEP:
        return
    kind, per_worker = services.ON_RELEASE_STEP[step]
    event = release.petition.events.filter(transition=f"fund_{step}").latest("pk")
    services.issue_for_step(release.petition, event, kind=kind, per_worker=per_worker)
