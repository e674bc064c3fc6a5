"""The committee's escalation listens: its rules are checked again, in the transaction of the
change, whenever a petition is recorded, gains new facts or misses a deadline. A petition that
matches an active rule goes up (once)."""

from django.dispatch import receiver

from casework.signals import facts_linked, petition_recorded
from workflows.signals import deadline_announced

from . import services


@receiver(petition_recorded, dispatch_uid="escalation-on-intake")
def escalate_on_intake(sender, petition, actor, **kwargs):
    services.escalate_if_matching(petition, actor=actor)


@receiver(facts_linked, dispatch_uid="escalation-on-new-facts")
def escalate_on_new_facts(sender, petition, actor, **kwargs):
    services.escalate_if_matching(petition, actor=actor)


@receiver(deadline_announced, dispatch_uid="escalation-on-breach")
def escalate_on_breach(sender, deadline, kind, **kwargs):
    if kind == "breach":
        services.escalate_if_matching(deadline.petition, breached=deadline.rule.kind)
