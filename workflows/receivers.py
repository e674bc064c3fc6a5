"""Workflows listens to the petition's own signals, inside the step's transaction: a recorded or
reopened petition starts a path through `PetitionFlow`, a merged one ends its path, every other
step completes its task; the deadlines the step opens or stops are opened or stopped with it; and
the tier rules choose the petition's complexity tier at intake and when facts are linked.
"""

from django.dispatch import receiver

from casework.signals import facts_linked, petition_recorded, petition_transitioned

from . import deadlines, services, tiers


@receiver(petition_recorded, dispatch_uid="workflows-start-path")
def start_flow(sender, petition, actor, **kwargs):
    services.start_path(petition)


@receiver(petition_transitioned, dispatch_uid="workflows-complete-task")
def complete_task(sender, petition, actor, transition, **kwargs):
    if transition == "reopen":
        services.start_path(petition, reopened=True)
    elif transition == "merge":
        services.end_path(petition)
    else:
        services.complete_task(petition, transition, actor)


# Deadlines open and close in the step's own transaction.


@receiver(petition_recorded, dispatch_uid="workflows-deadlines-on-intake")
def deadlines_on_intake(sender, petition, actor, **kwargs):
    deadlines.petition_moved(petition, "receive")


@receiver(petition_transitioned, dispatch_uid="workflows-deadlines-on-step")
def deadlines_on_step(sender, petition, actor, transition, **kwargs):
    deadlines.petition_moved(petition, transition)


# The complexity tier: chosen by the rules at intake, again when facts are linked.


@receiver(petition_recorded, dispatch_uid="workflows-tier-on-intake")
def tier_on_intake(sender, petition, actor, **kwargs):
    tiers.set_on_intake(petition, actor)


@receiver(facts_linked, dispatch_uid="workflows-tier-on-new-facts")
def tier_on_new_facts(sender, petition, actor, **kwargs):
    tiers.choose_again(petition, actor)
